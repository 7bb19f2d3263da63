using Kukai.Engine.Execution;
using Kukai.Engine.Timing;

namespace Kukai.Engine.Tests.Execution;

public sealed class PreciseWaitTests
{
    private static readonly TimestampClock Clock = new(TimeProvider.System);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(30)]
    public void Until_Deadline_ReturnsNoEarlierThanIt(int ms)
    {
        var cancel = false;
        var deadline = Clock.Now + Clock.MicrosecondsToTicks(ms * 1000L);

        PreciseWait.Until(Clock, deadline, ref cancel);

        Assert.True(Clock.Now >= deadline);
    }

    [Fact]
    public void Until_DeadlineInThePast_ReturnsAtOnce()
    {
        var cancel = false;
        var before = Clock.Now;

        PreciseWait.Until(Clock, before - Clock.SecondsToTicks(60), ref cancel);

        Assert.True(Clock.TicksToSeconds(Clock.Now - before) < 5);
    }

    [Fact]
    public void Until_CancelledBefore_ReturnsAtOnceEvenFarFromDeadline()
    {
        var cancel = true;
        var deadline = Clock.Now + Clock.SecondsToTicks(3600);

        PreciseWait.Until(Clock, deadline, ref cancel);

        Assert.True(Clock.Now < deadline);
    }

    [Fact]
    public async Task Until_CancelledWhileWaiting_Returns()
    {
        var state = new Flag();
        var deadline = Clock.Now + Clock.SecondsToTicks(3600);
        var started = new TaskCompletionSource();
        var waiting = Task.Factory.StartNew(
            () =>
            {
                started.SetResult();
                PreciseWait.Until(Clock, deadline, ref state.Value);
            },
            TaskCreationOptions.LongRunning);
        await started.Task;

        Volatile.Write(ref state.Value, true);

        await waiting.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(Clock.Now < deadline);
    }

    private sealed class Flag
    {
        public bool Value;
    }
}
