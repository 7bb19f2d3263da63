using Kukai.Engine.Execution;
using Kukai.Engine.Tests.Testing;
using Kukai.Engine.Timing;

namespace Kukai.Engine.Tests.Execution;

public sealed class PacedDispatcherTests
{
    private const double Fast = 100_000; // requests per second: every slot is due within a millisecond

    private readonly TimestampClock _clock = new(TimeProvider.System);

    private Task Run(RunState run, long? requests, int maxLanes, int capacity, double rate = Fast, long endTicks = 0) =>
        new PacedDispatcher(run, new RateSchedule(rate, [], 0), requests, maxLanes, capacity).RunAsync(_clock.Now, endTicks);

    [Fact]
    public async Task RunAsync_FastChannels_EveryRequestSentOnOneReusedLane()
    {
        var channels = new ScriptedChannelFactory();
        var run = EngineState.Create(_clock, channels);

        await Run(run, 200, maxLanes: 8, capacity: 100).Within();

        var total = new IntervalTotals(run.Metrics).Take();
        Assert.Equal((200L, 200L, 200L, 0L), (channels.Sends, total.Sent, total.Count, total.Dropped));
        Assert.InRange(run.Lanes.Length, 1, 8);
        Assert.Null(channels.Violation);
    }

    [Fact]
    public async Task RunAsync_AllLanesBusy_LanesThenBacklogThenDropped()
    {
        // 2 lanes busy, a backlog of 2 (capacity 4 counts both), and the other 6 of 10 slots dropped. Slots are 1 ms
        // apart, so the backlog (slots 2 and 3) can only be released after slot 9 was dropped: ≥ 6 ms late.
        var channels = new ScriptedChannelFactory(hold: true);
        var run = EngineState.Create(_clock, channels);
        var totals = new IntervalTotals(run.Metrics);
        var running = Run(run, 10, maxLanes: 2, capacity: 4, rate: 1000);

        await Deadline.UntilAsync(() => totals.Take().Dropped == 6 && channels.InFlight == 2, "6 dropped and 2 in flight");
        Assert.Equal(2, channels.Sends);
        channels.Hold = false;
        channels.ReleaseAll();
        await running.Within();

        var total = totals.Take();
        Assert.Equal((4L, 4L, 4L, 6L), (channels.Sends, total.Sent, total.Count, total.Dropped));
        Assert.True(total.Late >= 2, $"late {total.Late}: the backlog went out after its intended start");
        Assert.True(total.LateConnectionsBusy >= 2, $"late waiting for a lane {total.LateConnectionsBusy}: the backlog waited ≥ 6 ms for one");
        Assert.Equal(2, run.Lanes.Length);
        Assert.Null(channels.Violation);
    }

    [Fact]
    public async Task RunAsync_BacklogWhenScheduleEnds_DrainsLate()
    {
        var channels = new ScriptedChannelFactory(hold: true);
        var run = EngineState.Create(_clock, channels);
        var totals = new IntervalTotals(run.Metrics);
        var running = Run(run, 5, maxLanes: 1, capacity: 3, rate: 1000);

        await Deadline.UntilAsync(() => totals.Take().Dropped == 2 && channels.InFlight == 1, "2 dropped and 1 in flight");
        channels.Hold = false;
        channels.ReleaseAll();
        await running.Within();

        var total = totals.Take();
        Assert.Equal((3L, 3L, 2L), (total.Sent, total.Count, total.Dropped));
        Assert.True(total.Late >= 2, $"late {total.Late}");
        Assert.True(total.ScheduleLag.Max >= 2000, "the last backlog slot waited at least until slot 4 was dropped");
        // Latency counts from the intended start: the wait in the backlog plus the service time (µs, truncated).
        Assert.InRange(total.Latency.Sum - (total.ScheduleLag.Sum + total.ServiceTime.Sum), -3, 3);
    }

    [Fact]
    public async Task RunAsync_BacklogWhenDurationEnds_DroppedNotSent()
    {
        // All five slots are due before the end (1 ms apart, end at 20 ms); one is in flight, two wait, two are dropped.
        // The lane frees only after the end, so the two waiting are dropped then: the end closes the backlog by the
        // clock, as a stop does, whether or not anything has told the run its duration is over.
        var channels = new ScriptedChannelFactory(hold: true);
        var run = EngineState.Create(_clock, channels);
        var totals = new IntervalTotals(run.Metrics);
        var start = _clock.Now;
        var end = start + _clock.MicrosecondsToTicks(20_000);
        var running = new PacedDispatcher(run, new RateSchedule(1000, [], 0), 5, 1, 3).RunAsync(start, end);

        await Deadline.UntilAsync(() => totals.Take().Dropped == 2 && channels.InFlight == 1, "2 dropped and 1 in flight");
        await Deadline.UntilAsync(() => _clock.Now >= end, "the end");
        channels.Hold = false;
        channels.ReleaseAll();
        await running.Within();

        var total = totals.Take();
        Assert.Equal((1L, 1L, 1L, 4L), (channels.Sends, total.Sent, total.Count, total.Dropped));
    }

    [Fact]
    public async Task RunAsync_StopWithBacklog_BacklogDroppedNotSent()
    {
        var channels = new ScriptedChannelFactory(hold: true);
        var run = EngineState.Create(_clock, channels);
        var totals = new IntervalTotals(run.Metrics);
        var running = Run(run, 5, maxLanes: 1, capacity: 3);

        await Deadline.UntilAsync(() => totals.Take().Dropped == 2 && channels.InFlight == 1, "2 dropped and 1 in flight");
        Volatile.Write(ref run.StopIssuing, true);
        channels.ReleaseAll();
        await running.Within();

        var total = totals.Take();
        Assert.Equal((1L, 1L, 1L, 4L), (channels.Sends, total.Sent, total.Count, total.Dropped));
    }

    [Fact]
    public async Task RunAsync_StopWhilePacing_EndsWithEverySentRequestAnswered()
    {
        var channels = new ScriptedChannelFactory(hold: true);
        var run = EngineState.Create(_clock, channels);
        var totals = new IntervalTotals(run.Metrics);
        var running = Run(run, requests: null, maxLanes: 3, capacity: 3, rate: 1000);

        await Deadline.UntilAsync(() => channels.InFlight == 3, "3 in flight");
        Volatile.Write(ref run.StopIssuing, true);
        channels.Hold = false;
        channels.ReleaseAll();
        await running.Within();

        var total = totals.Take();
        Assert.Equal((3L, 3L), (total.Sent, total.Count));
        Assert.Equal(channels.Sends, total.Sent);
    }

    [Fact]
    public async Task RunAsync_StoppedBeforeStart_NothingSent()
    {
        var channels = new ScriptedChannelFactory();
        var run = EngineState.Create(_clock, channels);
        run.StopIssuing = true;

        await Run(run, 100, 4, 4).Within();

        Assert.Equal(0, channels.Sends);
        Assert.Empty(run.Lanes);
    }

    [Fact]
    public async Task RunAsync_EndTime_OnlySlotsDueBeforeItAreIssued()
    {
        // 1000 rps from a start 10 s in the past and an end 2.5 ms after it: slots at 0, 1 and 2 ms only.
        var channels = new ScriptedChannelFactory();
        var run = EngineState.Create(_clock, channels);
        var start = _clock.Now - _clock.SecondsToTicks(10);

        await new PacedDispatcher(run, new RateSchedule(1000, [], 0), null, 4, 4).RunAsync(start, start + _clock.MicrosecondsToTicks(2500)).Within();

        Assert.Equal(3, channels.Sends);
    }

    [Fact]
    public async Task RunAsync_ManyRunsWithRandomServiceTimes_AccountingAlwaysExact()
    {
        // Races between the pacer and lanes finishing on other threads: every run must end, never send twice on one
        // connection, and account for every slot as sent or dropped.
        for (var round = 0; round < 40; round++)
        {
            var channels = new ScriptedChannelFactory(hold: true);
            var run = EngineState.Create(_clock, channels);
            var totals = new IntervalTotals(run.Metrics);
            using var stopReleasing = new CancellationTokenSource();
            var releaser = Task.Run(async () =>
            {
                var random = new Random(round);
                while (!stopReleasing.IsCancellationRequested)
                {
                    channels.ReleaseAll();
                    if (random.Next(3) == 0)
                    {
                        await Task.Yield();
                    }
                }
            });
            var stopAt = round % 2 == 0 ? new Random(round).Next(50, 400) : -1;
            var running = Run(run, 400, maxLanes: 1 + (round % 4), capacity: 2 + (round % 7), rate: 20_000);
            if (stopAt > 0)
            {
                await Deadline.UntilAsync(() => channels.Sends >= Math.Min(stopAt, 5) || running.IsCompleted, "some sends");
                Volatile.Write(ref run.StopIssuing, true);
            }

            await running.Within();
            await stopReleasing.CancelAsync();
            await releaser;

            var total = totals.Take();
            Assert.Null(channels.Violation);
            Assert.Equal(channels.Sends, total.Sent);
            Assert.Equal(total.Sent, total.Count);
            if (stopAt < 0)
            {
                Assert.Equal(400, total.Sent + total.Dropped);
            }
            else
            {
                Assert.InRange(total.Sent + total.Dropped, 1, 400);
            }

            Assert.InRange(run.Lanes.Length, 1, 1 + (round % 4));
        }
    }
}
