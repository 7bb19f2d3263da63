using Kukai.Engine.Execution;
using Kukai.Engine.Plans;

namespace Kukai.Engine.Tests.Execution;

public sealed class RateScheduleTests
{
    private static double[] Take(RateSchedule schedule, int n)
    {
        var times = new double[n];
        for (var i = 0; i < n; i++)
        {
            times[i] = schedule.Next();
        }

        return times;
    }

    private static List<double> UntilEnd(RateSchedule schedule, int max = 1_000_000)
    {
        var times = new List<double>();
        while (times.Count < max)
        {
            var t = schedule.Next();
            if (double.IsPositiveInfinity(t))
            {
                return times;
            }

            times.Add(t);
        }

        Assert.Fail("the schedule did not end");
        return times;
    }

    private static StagePlan Rps(double seconds, double rps) => new() { DurationSeconds = seconds, Rps = rps };

    [Fact]
    public void Next_ConstantRate_SlotKAtKOverRate()
    {
        var schedule = new RateSchedule(250, [], 0);

        var times = Take(schedule, 1000);

        for (var k = 0; k < times.Length; k++)
        {
            Assert.Equal(k / 250.0, times[k], 12);
        }

        Assert.Equal(1000, schedule.NextIndex);
    }

    [Theory]
    [InlineData(1, 3)]
    [InlineData(2, 3)]
    [InlineData(3, 4)]
    public void Next_Phase_OffsetsEverySlotByPhaseOverRate(int index, int count)
    {
        var phase = (double)index / count;
        var schedule = new RateSchedule(100, [], phase);

        var times = Take(schedule, 50);

        for (var k = 0; k < times.Length; k++)
        {
            Assert.Equal((k + phase) / 100, times[k], 12);
        }
    }

    [Fact]
    public void Next_PhasesOfAllDrivers_InterleaveEvenly()
    {
        // Four drivers at 10 rps each: together an even 40 rps stream, 25 ms apart.
        var all = Enumerable.Range(0, 4).SelectMany(i => Take(new RateSchedule(10, [], i / 4.0), 20)).Order().ToArray();

        for (var k = 0; k < all.Length; k++)
        {
            Assert.Equal(k * 0.025, all[k], 9);
        }
    }

    [Fact]
    public void Constructor_PhaseOutsideUnitInterval_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RateSchedule(1, [], 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RateSchedule(1, [], -0.1));
    }

    [Fact]
    public void Next_NoRate_EndsAtOnce()
    {
        Assert.Equal(double.PositiveInfinity, new RateSchedule(null, [], 0).Next());
        Assert.Equal(double.PositiveInfinity, new RateSchedule(0, [], 0).Next());
    }

    [Fact]
    public void Next_LinearRampFromZero_CumulativeCountIsTrapezoidArea()
    {
        // 0 → 100 rps over 10 s: 500 requests in the ramp, then a hold at 100 rps.
        var schedule = new RateSchedule(null, [Rps(10, 100)], 0);

        var times = Take(schedule, 1500);

        Assert.Equal(0, times[0]);
        AssertMonotonic(times);
        Assert.Equal(500, CountBefore(times, 10)); // slots 0..499; slot 500 lands exactly at 10 s
        for (var k = 0; k <= 500; k++)
        {
            // N(t) = 5 t² in the ramp, so slot k is at √(k / 5).
            Assert.Equal(Math.Sqrt(k / 5.0), times[k], 9);
        }

        for (var k = 501; k < times.Length; k++)
        {
            Assert.Equal(10 + (k - 500) / 100.0, times[k], 9);
        }
    }

    [Fact]
    public void Next_StagesUpAndDown_CountAtEachStageEndEqualsArea()
    {
        // 50 rps base; 50 → 150 over 4 s (400), 150 → 150 over 2 s (300), 150 → 30 over 3 s (270), then hold at 30.
        StagePlan[] stages = [Rps(4, 150), Rps(2, 150), Rps(3, 30)];
        var times = Take(new RateSchedule(50, stages, 0), 1200);

        AssertMonotonic(times);
        Assert.Equal(400, CountBefore(times, 4));
        Assert.Equal(700, CountBefore(times, 6));
        Assert.Equal(970, CountBefore(times, 9));
        Assert.Equal(970 + 30, CountBefore(times, 10));
    }

    [Fact]
    public void Next_RampDownToZero_EndsTheSchedule()
    {
        // 100 rps for 10 s (1000), then 100 → 0 over 10 s (500): 1501 slots (0..1500), then +∞ for ever.
        var schedule = new RateSchedule(100, [Rps(10, 100), Rps(10, 0)], 0);

        var times = UntilEnd(schedule);

        Assert.Equal(1501, times.Count);
        AssertMonotonic([.. times]);
        Assert.InRange(times[^1], 19.9, 20.0);
        Assert.Equal(double.PositiveInfinity, schedule.Next());
    }

    [Fact]
    public void Next_ZeroRateHoldBeforeRamp_StartsAtTheRamp()
    {
        // Nothing for 5 s, then 0 → 10 rps over 2 s (N(τ) = 2.5 τ², 10 slots), then a hold at 10 rps.
        var times = Take(new RateSchedule(null, [Rps(5, 0), Rps(2, 10)], 0), 30);

        AssertMonotonic(times);
        for (var k = 0; k <= 10; k++)
        {
            Assert.Equal(5 + Math.Sqrt(k / 2.5), times[k], 9);
        }

        Assert.Equal(7.1, times[11], 9);
    }

    [Fact]
    public void Next_ZeroRateHoldBetweenRamps_NoSlotInTheHold()
    {
        // 10 → 0 over 2 s (10 slots), nothing for 3 s, then 0 → 10 over 2 s.
        var times = Take(new RateSchedule(10, [Rps(2, 0), Rps(3, 0), Rps(2, 10)], 0), 40);

        AssertMonotonic(times);
        Assert.Equal(11, times.Count(t => t <= 2 + 1e-9));
        Assert.DoesNotContain(times, t => t > 2 + 1e-9 && t < 5);
        Assert.Equal(5 + Math.Sqrt(1 / 2.5), times[11], 9);
    }

    [Fact]
    public void Next_RampWithPhase_StaysMonotonicAndInsideStage()
    {
        var times = Take(new RateSchedule(null, [Rps(3, 1000), Rps(3, 0)], 0.5), 3000);

        AssertMonotonic(times);
        Assert.All(times, t => Assert.InRange(t, 0, 6));
    }

    [Fact]
    public void Next_HoldAfterLastStage_KeepsLastRate()
    {
        var times = Take(new RateSchedule(10, [Rps(1, 20)], 0), 200);

        // After 1 s (15 slots), slots are 1/20 s apart.
        for (var k = 20; k < times.Length; k++)
        {
            Assert.Equal(0.05, times[k] - times[k - 1], 9);
        }
    }

    [Fact]
    public void Next_ConcurrencyStages_Ignored()
    {
        var times = Take(new RateSchedule(10, [new StagePlan { DurationSeconds = 5, Concurrency = 3 }], 0), 5);

        Assert.Equal([0, 0.1, 0.2, 0.3, 0.4], times.Select(t => Math.Round(t, 9)));
    }

    private static void AssertMonotonic(double[] times)
    {
        for (var k = 1; k < times.Length; k++)
        {
            Assert.True(times[k] >= times[k - 1], $"slot {k} at {times[k]} s comes before slot {k - 1} at {times[k - 1]} s");
        }
    }

    // Slots due strictly before t (with a little slack for rounding at stage ends).
    private static int CountBefore(double[] times, double t) => times.Count(x => x < t - 1e-9);
}
