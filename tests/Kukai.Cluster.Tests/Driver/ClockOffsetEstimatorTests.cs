using Kukai.Cluster.Driver;

namespace Kukai.Cluster.Tests.Driver;

public sealed class ClockOffsetEstimatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void TryGetOffset_NoProbeBack_FalseAndZero()
    {
        var clock = new ClockOffsetEstimator();

        Assert.False(clock.TryGetOffset(out var offset));
        Assert.Equal((TimeSpan.Zero, TimeSpan.Zero, false), (offset, clock.Offset, clock.HasSample));
    }

    [Fact]
    public void TryGetOffset_SeveralProbes_TheQuickestRoundTripWins()
    {
        // The orchestrator's clock is 60 s behind. The first probe queued 40 ms on the way out and came back in 1 ms (its
        // estimate is off by 19.5 ms); the second took 2 ms each way, and is exact.
        var clock = new ClockOffsetEstimator();
        var ahead = TimeSpan.FromSeconds(60);
        clock.Add(T0, T0 - ahead + TimeSpan.FromMilliseconds(40), T0 - ahead + TimeSpan.FromMilliseconds(41), T0 + TimeSpan.FromMilliseconds(42));
        clock.Add(T0, T0 - ahead + TimeSpan.FromMilliseconds(2), T0 - ahead + TimeSpan.FromMilliseconds(3), T0 + TimeSpan.FromMilliseconds(5));

        Assert.True(clock.TryGetOffset(out var offset));
        Assert.Equal(-ahead, offset);
        Assert.Equal(offset, clock.Offset);
    }
}
