using System.Net;
using Kukai.Target.Tests.Testing;

namespace Kukai.Target.Tests;

public sealed class TargetServerStallTests
{
    private static TargetOptions StallOptions(bool tcp = false) =>
        TestServers.LoopbackOptions(tcp) with { StallMs = 200, StallEveryMs = 1000 };

    [Fact]
    public async Task Ping_BeforeFirstFreeze_AnsweredAtOnce()
    {
        var time = new ManualTimeProvider();
        await using var server = await TestServers.StartAsync(StallOptions(), time);
        using var client = TestServers.Client(server);
        time.AdvanceTo(TimeSpan.FromMilliseconds(799));

        using var response = await client.GetAsync("/ping");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, server.Counters.StalledRequests);
    }

    [Fact]
    public async Task Ping_ArrivingMidFreeze_ReleasedAtFreezeEnd()
    {
        var time = new ManualTimeProvider();
        await using var server = await TestServers.StartAsync(StallOptions(), time);
        using var client = TestServers.Client(server);
        time.AdvanceTo(TimeSpan.FromMilliseconds(2900));

        var pending = client.GetAsync("/ping");
        await time.WaitForArmedTimersAsync(1);

        Assert.Equal(1, server.Counters.RequestsReceived);
        Assert.Equal(1, server.Counters.StalledRequests);
        time.AdvanceTo(TimeSpan.FromMilliseconds(3000) - TimeSpan.FromTicks(1));
        Assert.False(pending.IsCompleted);
        Assert.Equal(0, server.Counters.ResponsesSent);

        time.Advance(TimeSpan.FromTicks(1));
        using var response = await pending.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, server.Counters.ResponsesSent);
        Assert.Equal(1, server.Counters.Stalls);
    }

    [Fact]
    public async Task Metrics_DuringFreeze_AnsweredAtOnceAndReportsStall()
    {
        var time = new ManualTimeProvider();
        await using var server = await TestServers.StartAsync(StallOptions(), time);
        using var client = TestServers.Client(server);
        time.AdvanceTo(TimeSpan.FromMilliseconds(900));
        var pending = client.GetAsync("/ping");
        await time.WaitForArmedTimersAsync(1);

        using var metrics = await client.GetAsync("/metrics");
        var text = await metrics.Content.ReadAsStringAsync();

        Assert.Contains("\"inFlight\":1", text, StringComparison.Ordinal);
        Assert.Contains("\"stalls\":1", text, StringComparison.Ordinal);
        Assert.Contains("\"stalledRequests\":1", text, StringComparison.Ordinal);
        time.AdvanceTo(TimeSpan.FromMilliseconds(1000));
        (await pending.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
    }
}
