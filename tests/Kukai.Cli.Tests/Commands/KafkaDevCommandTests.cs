using Kukai.TestSupport;

namespace Kukai.Cli.Tests.Commands;

/// <summary><c>kukai kafka-dev</c> as a process: it stops on Ctrl+C or SIGTERM while waiting for commands on stdin.</summary>
public sealed class KafkaDevCommandTests
{
    [Theory]
    [InlineData(KukaiProcess.SigTerm)]
    [InlineData(KukaiProcess.SigInt)]
    public async Task KafkaDev_StopSignalWhileStdinIsOpenAndQuiet_ExitsCleanly(int signal)
    {
        await using var kafka = KukaiProcess.Start("kafka-dev", "--brokers", "1");
        await kafka.WaitForLineAsync(new("^[0-9.]+:[0-9]+"), ClusterProcesses.ReadyTimeout);

        kafka.Signal(signal);

        Assert.Equal(0, await kafka.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(kafka.Transcript().Split('\n'), l => l.Contains("stopping", StringComparison.OrdinalIgnoreCase));
    }
}
