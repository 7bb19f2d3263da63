using Kukai.Engine.Plans;

namespace Kukai.Engine.Tests.Plans;

public sealed class LoadPlanExtensionsTests
{
    private static readonly LoadPlan Avalanche = new();
    private static readonly LoadPlan Tsunami = new() { Type = TestType.Tsunami, DelayMs = 4 };

    [Fact]
    public void EffectiveConcurrency_Unset_DefaultsPerType()
    {
        Assert.Equal(10, Avalanche.EffectiveConcurrency());
        Assert.Equal(10_000, Tsunami.EffectiveConcurrency());
        Assert.Equal(3, (Tsunami with { Concurrency = 3 }).EffectiveConcurrency());
    }

    [Fact]
    public void EffectiveConnections_NeverAboveConcurrency()
    {
        Assert.Equal(64, Tsunami.EffectiveConnections());
        Assert.Equal(5, (Tsunami with { Connections = 5 }).EffectiveConnections());
        Assert.Equal(2, (Tsunami with { Connections = 5, Concurrency = 2 }).EffectiveConnections());
    }

    [Fact]
    public void BaseRate_TsunamiFromDelayOrRps_AvalancheFromRps()
    {
        Assert.Equal(250, Tsunami.BaseRate());
        Assert.Equal(2000, (Tsunami with { DelayMs = 0.5 }).BaseRate());
        Assert.Equal(40, (Tsunami with { DelayMs = null, Rps = 40 }).BaseRate());
        Assert.Null(Avalanche.BaseRate());
        Assert.Equal(7, (Avalanche with { Rps = 7 }).BaseRate());
        Assert.Null((Avalanche with { DelayMs = 5 }).BaseRate());
    }

    [Fact]
    public void IsPaced_TsunamiRpsOrRpsStages()
    {
        Assert.True(Tsunami.IsPaced());
        Assert.False(Avalanche.IsPaced());
        Assert.True((Avalanche with { Rps = 1 }).IsPaced());
        Assert.True((Avalanche with { Stages = [new StagePlan { DurationSeconds = 1, Rps = 5 }] }).IsPaced());
        Assert.False((Avalanche with { Stages = [new StagePlan { DurationSeconds = 1, Concurrency = 5 }] }).IsPaced());
    }

    [Fact]
    public void EffectiveDurationSeconds_DurationElseStageSumElseNull()
    {
        var staged = Avalanche with { Stages = [new StagePlan { DurationSeconds = 1.5 }, new StagePlan { DurationSeconds = 2 }] };

        Assert.Null(Avalanche.EffectiveDurationSeconds());
        Assert.Null(Avalanche.StagesDurationSeconds());
        Assert.Equal(3.5, staged.StagesDurationSeconds());
        Assert.Equal(3.5, staged.EffectiveDurationSeconds());
        Assert.Equal(10, (staged with { DurationSeconds = 10 }).EffectiveDurationSeconds());
    }
}
