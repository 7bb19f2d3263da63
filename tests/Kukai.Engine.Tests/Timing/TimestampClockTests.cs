using Kukai.Engine.Tests.Testing;
using Kukai.Engine.Timing;

namespace Kukai.Engine.Tests.Timing;

public sealed class TimestampClockTests
{
    [Theory]
    [InlineData(1_000_000_000L)]
    [InlineData(10_000_000L)]
    [InlineData(3_579_545L)]
    public void Conversions_AnyFrequency_RoundTrip(long frequency)
    {
        var clock = new TimestampClock(new ManualTimeProvider(frequency));

        Assert.Equal(frequency, clock.Frequency);
        Assert.Equal(frequency, clock.SecondsToTicks(1));
        Assert.Equal(1.0, clock.TicksToSeconds(frequency));
        Assert.Equal(1_000_000, clock.TicksToMicroseconds(frequency));
        Assert.Equal(2.5, clock.TicksToSeconds(clock.SecondsToTicks(2.5)), 6);
        Assert.InRange(clock.TicksToMicroseconds(clock.MicrosecondsToTicks(123_456)), 123_455, 123_456);
    }

    [Fact]
    public void Now_FollowsTheTimeProvider()
    {
        var time = new ManualTimeProvider();
        var clock = new TimestampClock(time);
        var before = clock.Now;

        time.Advance(TimeSpan.FromMilliseconds(1500));

        Assert.Equal(1_500_000, clock.TicksToMicroseconds(clock.Now - before));
        Assert.Same(time, clock.TimeProvider);
    }

    [Theory]
    [InlineData(1_000_000_000L)]
    [InlineData(10_000_000L)]
    public void ToUnixNanoseconds_AnchoredAtConstruction(long frequency)
    {
        var time = new ManualTimeProvider(frequency);
        var clock = new TimestampClock(time);
        var t0 = clock.Now;
        var utc0 = time.GetUtcNow();

        time.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal((utc0 - DateTimeOffset.UnixEpoch).Ticks * 100, clock.ToUnixNanoseconds(t0));
        Assert.Equal(clock.ToUnixNanoseconds(t0) + 3_000_000_000, clock.ToUnixNanoseconds(clock.Now));
        Assert.Equal(utc0.AddSeconds(3), clock.ToDateTimeOffset(clock.Now));
    }

    [Fact]
    public void FromDateTimeOffset_InverseOfToDateTimeOffset()
    {
        var time = new ManualTimeProvider();
        var clock = new TimestampClock(time);
        var at = time.GetUtcNow().AddSeconds(12.25);

        var ticks = clock.FromDateTimeOffset(at);

        Assert.Equal(clock.Now + clock.SecondsToTicks(12.25), ticks);
        Assert.Equal(at, clock.ToDateTimeOffset(ticks));
    }

    [Fact]
    public void ToUnixNanoseconds_WallClockStepAfterConstruction_Ignored()
    {
        // The anchor is taken once: a wall-clock step does not bend timestamps.
        var time = new SteppingTimeProvider();
        var clock = new TimestampClock(time);
        var before = clock.ToUnixNanoseconds(clock.Now);

        time.WallOffset = TimeSpan.FromHours(1);

        Assert.Equal(before, clock.ToUnixNanoseconds(clock.Now));
    }

    private sealed class SteppingTimeProvider : TimeProvider
    {
        public TimeSpan WallOffset { get; set; }

        public override long GetTimestamp() => 42;

        public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2031, 5, 6, 7, 8, 9, TimeSpan.Zero) + WallOffset;
    }
}
