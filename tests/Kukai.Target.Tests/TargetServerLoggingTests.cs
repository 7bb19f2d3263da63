using Kukai.Target.Tests.Testing;
using Microsoft.Extensions.Logging;

namespace Kukai.Target.Tests;

public sealed class TargetServerLoggingTests
{
    [Fact]
    public async Task StartAndStop_WithLoggerFactory_LogsLifecycleWithStableEventIds()
    {
        using var provider = new ListLoggerProvider();
        using var factory = LoggerFactory.Create(builder => builder.AddProvider(provider).SetMinimumLevel(LogLevel.Information));
        var options = TestServers.LoopbackOptions(tcp: true) with { StallMs = 10, StallEveryMs = 100 };

        var server = await TargetServer.StartAsync(options, TimeProvider.System, factory, CancellationToken.None);
        await server.DisposeAsync();

        var ours = provider.Entries.Where(e => e.Category == typeof(TargetServer).FullName).ToList();
        Assert.Equal([1, 2, 3, 4, 5], ours.Select(e => e.EventId.Id));
        Assert.Equal($"Target serving HTTP/1.1 and h2c on {server.HttpAddress}", ours[0].Message);
        Assert.Equal($"Target echoing raw TCP on {server.TcpEndPoint}", ours[1].Message);
        Assert.Equal("Target stopped: 0 requests received, 0 responses sent, 0 aborted", ours[4].Message);
    }
}
