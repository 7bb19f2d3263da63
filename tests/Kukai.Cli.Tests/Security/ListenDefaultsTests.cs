using System.Net;
using System.Text.RegularExpressions;
using Kukai.TestSupport;

namespace Kukai.Cli.Tests.Security;

/// <summary>
/// Servers bind 127.0.0.1 unless <c>--listen</c> says otherwise (SPEC §1, §6), checked on the sockets the kernel
/// lists, not only on the ready line.
/// </summary>
public sealed partial class ListenDefaultsTests
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Orchestrator_NoListenFlag_BindsLoopbackPort5000Only()
    {
        using var data = new TempDirectory();
        await using var orchestrator = KukaiProcess.Start("orchestrator", "--data-dir", data.Path);

        await AssertDefaultAsync(orchestrator, OrchestratorReady(), "http://127.0.0.1:5000", 5000);
    }

    [Fact]
    public async Task Target_NoListenFlag_BindsLoopbackPort8080Only()
    {
        await using var target = KukaiProcess.Start("target");

        await AssertDefaultAsync(target, TargetReady(), "http://127.0.0.1:8080", 8080);
    }

    [Theory]
    [InlineData("orchestrator", "127.0.0.1:0", "127.0.0.1")]
    [InlineData("orchestrator", "0.0.0.0:0", "0.0.0.0")]
    [InlineData("target", "127.0.0.1:0", "127.0.0.1")]
    [InlineData("target", "0.0.0.0:0", "0.0.0.0")]
    public async Task Server_ListenFlag_BindsExactlyThatAddress(string role, string listen, string bound)
    {
        using var data = new TempDirectory();
        await using var server = role == "orchestrator"
            ? KukaiProcess.Start("orchestrator", "--listen", listen, "--data-dir", data.Path)
            : KukaiProcess.Start("target", "--listen", listen);

        var ready = await server.WaitForLineAsync(role == "orchestrator" ? OrchestratorReady() : TargetReady(), ReadyTimeout);

        var url = new Uri(ready.Groups["url"].Value);
        Assert.Equal([IPAddress.Parse(bound)], ListeningSockets.On(url.Port));
    }

    [Fact]
    public async Task KafkaDev_Brokers_ListenOnLoopbackOnly()
    {
        await using var kafka = KukaiProcess.Start("kafka-dev", "--brokers", "2");

        var bootstrap = (await kafka.WaitForLineAsync(BootstrapLine(), ReadyTimeout)).Value;

        foreach (var broker in bootstrap.Split(','))
        {
            var port = int.Parse(broker[(broker.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.StartsWith("127.0.0.1:", broker, StringComparison.Ordinal);
            Assert.Equal([IPAddress.Loopback], ListeningSockets.On(port));
        }
    }

    // Either the server is up on the default address and the kernel shows only a loopback socket on that port, or the
    // port is taken on this machine and the one-line error names the default address it tried.
    private static async Task AssertDefaultAsync(KukaiProcess server, Regex ready, string url, int port)
    {
        try
        {
            var line = await server.WaitForLineAsync(ready, ReadyTimeout);
            Assert.Equal(url, line.Groups["url"].Value);
            Assert.Equal([IPAddress.Loopback], ListeningSockets.On(port));
        }
        catch (InvalidOperationException) when (server.HasExited)
        {
            Assert.True(server.ExitCode == 2, server.Transcript());
            Assert.Contains(server.Stderr, l => l.StartsWith("kukai: --listen: ", StringComparison.Ordinal) && l.Contains($"127.0.0.1:{port}", StringComparison.Ordinal));
        }
    }

    [GeneratedRegex(@"^kukai orchestrator listening on (?<url>http://\S+) kafka \S+$")]
    private static partial Regex OrchestratorReady();

    [GeneratedRegex(@"^kukai target listening on (?<url>http://\S+?)(?: tcp \S+)?$")]
    private static partial Regex TargetReady();

    [GeneratedRegex(@"^[^\s,:]+:\d+(,[^\s,:]+:\d+)*$")]
    private static partial Regex BootstrapLine();
}
