using Kukai.Engine.Execution;
using Kukai.Engine.Plans;

namespace Kukai.Engine.Tests.Execution;

public sealed class ConcurrencyScheduleTests
{
    private static StagePlan Stage(double seconds, int concurrency) => new() { DurationSeconds = seconds, Concurrency = concurrency };

    [Fact]
    public void At_NoStages_ConstantInitial()
    {
        var schedule = new ConcurrencySchedule(8, []);

        Assert.True(schedule.IsConstant);
        Assert.Equal(8, schedule.Maximum);
        Assert.Equal(8, schedule.At(0));
        Assert.Equal(8, schedule.At(1e6));
    }

    [Fact]
    public void At_LinearRamp_RoundsToNearestHalfAwayFromZero()
    {
        // 1 → 5 over 4 s: 1 + t.
        var schedule = new ConcurrencySchedule(1, [Stage(4, 5)]);

        Assert.False(schedule.IsConstant);
        Assert.Equal(1, schedule.At(0));
        Assert.Equal(1, schedule.At(0.49));
        Assert.Equal(2, schedule.At(0.5));
        Assert.Equal(3, schedule.At(2));
        Assert.Equal(5, schedule.At(3.5));
        Assert.Equal(5, schedule.At(4));
        Assert.Equal(5, schedule.At(100));
    }

    [Fact]
    public void At_UpThenDown_FollowsEachStageAndHoldsTheLast()
    {
        var schedule = new ConcurrencySchedule(0, [Stage(2, 10), Stage(1, 10), Stage(2, 2)]);

        Assert.Equal(10, schedule.Maximum);
        Assert.Equal(0, schedule.At(0));
        Assert.Equal(5, schedule.At(1));
        Assert.Equal(10, schedule.At(2.5));
        Assert.Equal(6, schedule.At(4));
        Assert.Equal(2, schedule.At(5));
        Assert.Equal(2, schedule.At(60));
    }

    [Fact]
    public void At_RampToZero_ParksEveryone()
    {
        var schedule = new ConcurrencySchedule(4, [Stage(1, 0)]);

        Assert.Equal(4, schedule.Maximum);
        Assert.Equal(2, schedule.At(0.5));
        Assert.Equal(0, schedule.At(1));
    }

    [Fact]
    public void At_EverywhereInRamp_BetweenStageEnds()
    {
        var schedule = new ConcurrencySchedule(3, [Stage(7, 40), Stage(5, 11)]);

        for (var t = 0.0; t < 12; t += 0.01)
        {
            Assert.InRange(schedule.At(t), 3, 40);
            Assert.InRange(schedule.At(t), 0, schedule.Maximum);
        }
    }

    [Fact]
    public void Constructor_RpsStages_Ignored()
    {
        var schedule = new ConcurrencySchedule(5, [new StagePlan { DurationSeconds = 3, Rps = 100 }]);

        Assert.True(schedule.IsConstant);
        Assert.Equal(5, schedule.At(1));
    }
}
