using Kukai.Engine.Execution;
using Kukai.Engine.Protocols;
using Kukai.Engine.Tests.Testing;
using Kukai.Engine.Timing;

namespace Kukai.Engine.Tests.Execution;

public sealed class LaneTests
{
    private readonly ManualTimeProvider _time = new();
    private readonly TimestampClock _clock;

    public LaneTests() => _clock = new TimestampClock(_time);

    private long Ms(long ms) => _clock.MicrosecondsToTicks(ms * 1000);

    [Fact]
    public async Task SendOneAsync_Paced_LatencyFromIntendedStart()
    {
        var channels = new ScriptedChannelFactory();
        var run = EngineState.Create(_clock, channels);
        var lane = run.NewLane();

        var intended = _clock.Now - Ms(5);
        await lane.SendOneAsync(intended, intended, paced: true);

        var total = new IntervalTotals(run.Metrics).Take();
        Assert.Equal((1L, 1L, 1L, 1L, 0L), (total.Sent, total.Count, total.Ok, total.Late, total.LateConnectionsBusy));
        Assert.Equal(5_000, total.Latency.Max);
        Assert.Equal(0, total.ServiceTime.Max);
    }

    [Fact]
    public async Task SendOneAsync_Unpaced_LatencyFromSend()
    {
        var channels = new ScriptedChannelFactory(hold: true);
        var run = EngineState.Create(_clock, channels);
        var lane = run.NewLane();

        var sending = lane.SendOneAsync(_clock.Now - Ms(500), _clock.Now - Ms(500), paced: false).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(7));
        channels.ReleaseAll();
        await sending.Within();

        var total = new IntervalTotals(run.Metrics).Take();
        Assert.Equal((7_000L, 7_000L, 0L), (total.Latency.Max, total.ServiceTime.Max, total.Late));
    }

    [Fact]
    public async Task SendOneAsync_TwoTargets_OneChannelPerTargetReused()
    {
        var (a, b) = (new ScriptedChannelFactory(), new ScriptedChannelFactory());
        var run = EngineState.Create(_clock, [a, b]);
        var lane = run.NewLane();

        for (var i = 0; i < 200; i++)
        {
            await lane.SendOneAsync(0, 0, paced: false);
        }

        Assert.Equal((1, 1), (a.ChannelsCreated, b.ChannelsCreated));
        Assert.Equal(200, a.Sends + b.Sends);
        Assert.InRange(a.Sends, 60, 140);
    }

    [Fact]
    public async Task SendOneAsync_ChannelThrows_CountedAsProtocolErrorAndReported()
    {
        var run = EngineState.Create(_clock, new ThrowingFactory());
        var lane = run.NewLane();

        await lane.SendOneAsync(0, 0, paced: false);

        var total = new IntervalTotals(run.Metrics).Take();
        Assert.Equal((1L, 1L, 1L), (total.Sent, total.Count, total.ErrorsOf(ErrorKind.Protocol)));
        Assert.IsType<InvalidOperationException>(run.Unexpected);
    }

    [Fact]
    public async Task Abort_InFlight_CompletesAsTimeout()
    {
        var channels = new ScriptedChannelFactory(hold: true);
        var run = EngineState.Create(_clock, channels);
        var lane = run.NewLane();
        var sending = lane.SendOneAsync(0, 0, paced: false).AsTask();

        lane.Abort();
        await sending.Within();
        lane.Abort(); // idle: nothing to abort

        var total = new IntervalTotals(run.Metrics).Take();
        Assert.Equal((1L, 1L), (total.ErrorsOf(ErrorKind.Timeout), channels.Aborts));
    }

    [Fact]
    public async Task TimeoutWatchdog_PastDeadline_AbortsOnlyThatRequest()
    {
        var channels = new ScriptedChannelFactory(hold: true);
        var run = EngineState.Create(_clock, channels, timeout: TimeSpan.FromMilliseconds(100));
        var (slow, fresh) = (run.NewLane(), run.NewLane());
        using var watchdog = new TimeoutWatchdog(run);
        var first = slow.SendOneAsync(0, 0, paced: false).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(60));
        var second = fresh.SendOneAsync(0, 0, paced: false).AsTask();

        _time.Advance(TimeSpan.FromMilliseconds(39)); // 99 ms: nothing is late yet
        Assert.Equal((2, 0L), (channels.InFlight, channels.Aborts));
        _time.Advance(TimeSpan.FromMilliseconds(20)); // the watchdog runs every 10 ms: its tick at 110 ms finds it late
        await first.Within();

        Assert.Equal((1, 1L), (channels.InFlight, channels.Aborts));
        Assert.False(second.IsCompleted);
        var total = new IntervalTotals(run.Metrics).Take();
        Assert.Equal(1, total.ErrorsOf(ErrorKind.Timeout));
        Assert.InRange(total.Latency.Max, 100_000, 120_000);

        _time.Advance(TimeSpan.FromMilliseconds(100));
        await second.Within();
        Assert.Equal(2, channels.Aborts);
    }

    [Fact]
    public async Task TimeoutWatchdog_RunAborted_AbortsRequestsStartedAfterTheAbort()
    {
        // A lane that was already handing a request to its connection when the abort went through the lanes.
        var channels = new ScriptedChannelFactory(hold: true);
        var run = EngineState.Create(_clock, channels, timeout: TimeSpan.FromMinutes(10));
        var lane = run.NewLane();
        using var watchdog = new TimeoutWatchdog(run);
        Volatile.Write(ref run.Aborted, true);

        var late = lane.SendOneAsync(0, 0, paced: false).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(10));
        await late.Within();

        Assert.Equal(1, channels.Aborts);
        Assert.Equal(1, new IntervalTotals(run.Metrics).Take().ErrorsOf(ErrorKind.Timeout));
    }

    [Fact]
    public async Task TimeoutWatchdog_Disposed_StopsChecking()
    {
        var channels = new ScriptedChannelFactory(hold: true);
        var run = EngineState.Create(_clock, channels, timeout: TimeSpan.FromMilliseconds(10));
        var lane = run.NewLane();
        var watchdog = new TimeoutWatchdog(run);
        var sending = lane.SendOneAsync(0, 0, paced: false).AsTask();

        watchdog.Dispose();
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(0, channels.Aborts);
        channels.ReleaseAll();
        await sending.Within();
    }

    private sealed class ThrowingFactory : IRequestChannelFactory
    {
        public IRequestChannel CreateChannel() => new ThrowingChannel();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private sealed class ThrowingChannel : IRequestChannel
        {
            public long Generation => 0;

            public ValueTask<RequestOutcome> SendAsync() => throw new InvalidOperationException("a bug");

            public bool TryAbort(long generation) => false;

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
