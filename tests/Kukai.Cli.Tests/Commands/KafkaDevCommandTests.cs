using Kukai.TestSupport;

namespace Kukai.Cli.Tests.Commands;

/// <summary>
/// <c>kukai kafka-dev</c> as a process: it stops on SIGTERM while waiting for commands on stdin. (Ctrl+C takes the same
/// path, but a test cannot send it reliably: a process started from a background shell job inherits SIGINT ignored.)
/// </summary>
public sealed class KafkaDevCommandTests
{
    [Fact]
    public async Task KafkaDev_SigTermWhileStdinIsOpenAndQuiet_ExitsCleanly()
    {
        await using var kafka = KukaiProcess.Start("kafka-dev", "--brokers", "1");
        await kafka.WaitForLineAsync(new("^[0-9.]+:[0-9]+"), ClusterProcesses.ReadyTimeout);

        kafka.Signal(KukaiProcess.SigTerm);

        Assert.Equal(0, await kafka.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(kafka.Transcript().Split('\n'), l => l.Contains("stopping", StringComparison.OrdinalIgnoreCase));
    }
}
