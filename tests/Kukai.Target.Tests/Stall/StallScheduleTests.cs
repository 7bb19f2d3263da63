using Kukai.Target.Stall;
using Kukai.Target.Tests.Testing;

namespace Kukai.Target.Tests.Stall;

public sealed class StallScheduleTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    [Theory]
    [InlineData(0, false, -1, 0)]
    [InlineData(899.9999, false, -1, 0)]
    [InlineData(900, true, 0, 1000)]
    [InlineData(999.9999, true, 0, 1000)]
    [InlineData(1000, false, -1, 0)]
    [InlineData(1899.9999, false, -1, 0)]
    [InlineData(1900, true, 1, 2000)]
    [InlineData(123_456_950, true, 123_456, 123_457_000)]
    public void TryGetFreeze_TimeSinceStart_FollowsWindowsEndingOnPeriodBoundaries(double atMs, bool frozen, long window, double endMs)
    {
        var time = new ManualTimeProvider();
        time.Advance(TimeSpan.FromSeconds(7));
        var origin = time.GetTimestamp();
        var schedule = new StallSchedule(100, 1000, time, origin, new TargetCounters(tcpEnabled: false));

        var actual = schedule.TryGetFreeze(origin + TimeSpan.FromMilliseconds(atMs).Ticks, out var actualWindow, out var actualEnd);

        Assert.Equal(frozen, actual);
        Assert.Equal(window, actualWindow);
        Assert.Equal(frozen ? origin + TimeSpan.FromMilliseconds(endMs).Ticks : 0, actualEnd);
    }

    [Fact]
    public void TryGetFreeze_BeforeOrigin_IsNotFrozen()
    {
        var schedule = new StallSchedule(100, 1000, new ManualTimeProvider(), 10_000_000, new TargetCounters(tcpEnabled: false));

        Assert.False(schedule.TryGetFreeze(9_999_999, out _, out _));
    }

    [Fact]
    public void WaitIfFrozenAsync_OutsideFreeze_CompletesSynchronouslyUncounted()
    {
        var time = new ManualTimeProvider();
        var counters = new TargetCounters(tcpEnabled: false);
        var schedule = new StallSchedule(100, 1000, time, time.GetTimestamp(), counters);
        time.AdvanceTo(TimeSpan.FromMilliseconds(899));

        var wait = schedule.WaitIfFrozenAsync(CancellationToken.None);

        Assert.True(wait.IsCompletedSuccessfully);
        Assert.Equal(0, counters.StalledRequests);
        Assert.Equal(0, time.ArmedTimers);
    }

    [Fact]
    public async Task WaitIfFrozenAsync_MidFreeze_CompletesExactlyAtFreezeEnd()
    {
        var time = new ManualTimeProvider();
        var counters = new TargetCounters(tcpEnabled: false);
        var schedule = new StallSchedule(300, 1000, time, time.GetTimestamp(), counters);
        time.AdvanceTo(TimeSpan.FromMilliseconds(1750));

        var wait = schedule.WaitIfFrozenAsync(CancellationToken.None).AsTask();
        time.AdvanceTo(TimeSpan.FromMilliseconds(2000) - Tick);

        // No timer is due before the end of the freeze, so nothing can have released the wait.
        Assert.False(wait.IsCompleted);
        Assert.Equal(1, time.ArmedTimers);
        time.Advance(Tick);
        await wait.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, time.ArmedTimers);
        Assert.Equal(1, counters.StalledRequests);
        Assert.Equal(1, counters.Stalls);
    }

    [Fact]
    public async Task WaitIfFrozenAsync_ManyArrivalsInTwoFreezes_CountsEachArrivalAndEachFreezeOnce()
    {
        var time = new ManualTimeProvider();
        var counters = new TargetCounters(tcpEnabled: false);
        var schedule = new StallSchedule(100, 1000, time, time.GetTimestamp(), counters);
        var waits = new List<Task>();

        time.AdvanceTo(TimeSpan.FromMilliseconds(950));
        waits.Add(schedule.WaitIfFrozenAsync(CancellationToken.None).AsTask());
        waits.Add(schedule.WaitIfFrozenAsync(CancellationToken.None).AsTask());
        time.AdvanceTo(TimeSpan.FromMilliseconds(1950));
        waits.Add(schedule.WaitIfFrozenAsync(CancellationToken.None).AsTask());

        await Task.WhenAll(waits[0], waits[1]).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(waits[2].IsCompleted);
        time.AdvanceTo(TimeSpan.FromMilliseconds(2000));
        await waits[2].WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(3, counters.StalledRequests);
        Assert.Equal(2, counters.Stalls);
    }

    [Fact]
    public async Task WaitIfFrozenAsync_Canceled_ThrowsOperationCanceled()
    {
        var time = new ManualTimeProvider();
        var schedule = new StallSchedule(100, 1000, time, time.GetTimestamp(), new TargetCounters(tcpEnabled: false));
        time.AdvanceTo(TimeSpan.FromMilliseconds(950));
        using var cts = new CancellationTokenSource();

        var wait = schedule.WaitIfFrozenAsync(cts.Token).AsTask();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }
}
