using Kukai.Engine.Execution;
using Kukai.Engine.Plans;
using Kukai.Engine.Tests.Testing;
using Kukai.Engine.Timing;

namespace Kukai.Engine.Tests.Execution;

public sealed class ClosedLoopTests
{
    private static StagePlan Stage(double seconds, int concurrency) => new() { DurationSeconds = seconds, Concurrency = concurrency };

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 500)]
    [InlineData(8, 1000)]
    [InlineData(64, 7)]
    public async Task RunAsync_RequestsBound_ExactlyThatManySent(int concurrency, long requests)
    {
        var clock = new TimestampClock(TimeProvider.System);
        var channels = new ScriptedChannelFactory();
        var run = EngineState.Create(clock, channels);

        await new ClosedLoop(run, new ConcurrencySchedule(concurrency, []), requests).RunAsync(clock.Now, 0).Within();

        var total = new IntervalTotals(run.Metrics).Take();
        Assert.Equal((requests, requests, requests), (channels.Sends, total.Sent, total.Count));
        Assert.True(run.StopIssuing);
        Assert.Equal(Math.Min(concurrency, requests), run.Lanes.Length); // no more lanes than requests
        Assert.Null(channels.Violation);
    }

    [Fact]
    public async Task RunAsync_Concurrency_ThatManyInFlight()
    {
        var clock = new TimestampClock(TimeProvider.System);
        var channels = new ScriptedChannelFactory(hold: true);
        var run = EngineState.Create(clock, channels);
        var loop = new ClosedLoop(run, new ConcurrencySchedule(5, []), null);
        var running = loop.RunAsync(clock.Now, 0);

        await Deadline.UntilAsync(() => channels.InFlight == 5, "5 in flight");
        Assert.Equal(5, channels.Sends);
        Volatile.Write(ref run.StopIssuing, true);
        loop.WakeAll();
        channels.ReleaseAll();
        await running.Within();

        Assert.Equal(5, channels.Sends);
    }

    [Fact]
    public async Task RunAsync_Ramp_InFlightFollowsTheSchedule()
    {
        var time = new ManualTimeProvider();
        var clock = new TimestampClock(time);
        var channels = new ScriptedChannelFactory(hold: true);
        var run = EngineState.Create(clock, channels);
        var loop = new ClosedLoop(run, new ConcurrencySchedule(1, [Stage(1, 4), Stage(1, 4), Stage(1, 1)]), null);
        var running = loop.RunAsync(clock.Now, 0);

        await Deadline.UntilAsync(() => channels.InFlight == 1, "1 in flight");
        time.Advance(TimeSpan.FromMilliseconds(500)); // 1 + 3 × 0.5 = 2.5 → 3
        await Deadline.UntilAsync(() => channels.InFlight == 3, "3 in flight");
        time.Advance(TimeSpan.FromMilliseconds(500));
        await Deadline.UntilAsync(() => channels.InFlight == 4, "4 in flight");
        time.Advance(TimeSpan.FromSeconds(2)); // down to 1: three lanes park once their request is answered
        Assert.Equal(4, channels.ReleaseAll());
        await Deadline.UntilAsync(() => channels.Sends == 5 && channels.InFlight == 1, () => $"one lane sending again (sends {channels.Sends}, in flight {channels.InFlight})");

        Volatile.Write(ref run.StopIssuing, true);
        loop.WakeAll();
        channels.ReleaseAll();
        await running.Within();

        Assert.Equal(5, channels.Sends);
        Assert.Equal(4, run.Lanes.Length);
    }

    [Fact]
    public async Task RunAsync_StoppedWhileAllParked_Ends()
    {
        var time = new ManualTimeProvider();
        var clock = new TimestampClock(time);
        var channels = new ScriptedChannelFactory(hold: true);
        var run = EngineState.Create(clock, channels);
        var loop = new ClosedLoop(run, new ConcurrencySchedule(2, [Stage(1, 0)]), null);
        var running = loop.RunAsync(clock.Now, 0);
        await Deadline.UntilAsync(() => channels.InFlight == 2, "2 in flight");
        time.Advance(TimeSpan.FromSeconds(2));
        channels.ReleaseAll();

        Volatile.Write(ref run.StopIssuing, true);
        loop.WakeAll();
        await running.Within();

        Assert.Equal(2, channels.Sends);
    }

    [Fact]
    public async Task RunAsync_ManyQuickRaises_NoLaneLeftParked()
    {
        // Concurrency rising 0 → 40 in 20 ms steps while lanes woken by one raise are still checking: every lane the
        // schedule asks for must end up sending (a raise between a lane's check and its wait must not be lost).
        for (var round = 0; round < 40; round++)
        {
            var time = new ManualTimeProvider();
            var clock = new TimestampClock(time);
            var channels = new ScriptedChannelFactory(hold: true);
            var run = EngineState.Create(clock, channels);
            var loop = new ClosedLoop(run, new ConcurrencySchedule(0, [Stage(1, 40)]), null);
            var running = loop.RunAsync(clock.Now, 0);

            for (var step = 0; step < 50; step++)
            {
                time.Advance(TimeSpan.FromMilliseconds(20));
                if (step % 3 == 0)
                {
                    await Task.Yield();
                }
            }

            await Deadline.UntilAsync(() => channels.InFlight == 40, () => $"40 in flight in round {round} (in flight {channels.InFlight})", TimeSpan.FromSeconds(5));
            Volatile.Write(ref run.StopIssuing, true);
            loop.WakeAll();
            channels.Hold = false;
            channels.ReleaseAll();
            await running.Within();
        }
    }

    [Fact]
    public async Task RunAsync_RaiseWhileWokenLaneRechecks_LaneNotLost()
    {
        // Concurrency 0 → 1 → 2 in two quick raises: lane 1, woken by the first, re-checks while the second happens.
        // A raise landing between its check of the concurrency and its wait must still wake it.
        var random = new Random(7);
        for (var trial = 0; trial < 10_000; trial++)
        {
            var time = new ManualTimeProvider();
            var clock = new TimestampClock(time);
            var channels = new ScriptedChannelFactory(hold: true);
            var run = EngineState.Create(clock, channels);
            var loop = new ClosedLoop(run, new ConcurrencySchedule(0, [Stage(0.04, 2)]), null);
            var running = loop.RunAsync(clock.Now, 0);
            Thread.SpinWait(random.Next(0, 2000));
            time.Advance(TimeSpan.FromMilliseconds(20));
            Thread.SpinWait(random.Next(0, 300));
            time.Advance(TimeSpan.FromMilliseconds(20));

            Assert.True(SpinWait.SpinUntil(() => channels.InFlight == 2, 3000), $"lane 1 stayed parked in trial {trial}");
            Volatile.Write(ref run.StopIssuing, true);
            loop.WakeAll();
            channels.Hold = false;
            channels.ReleaseAll();
            await running.Within();
        }
    }
}
