namespace Kukai.Engine.Timing;

/// <summary>
/// Monotonic timestamps from a <see cref="TimeProvider"/>, with conversions to microseconds and to Unix time.
/// The Unix anchor is taken once at construction, so wall-clock steps during a run do not bend measurements.
/// </summary>
public sealed class TimestampClock
{
    private readonly TimeProvider _time;
    private readonly long _frequency;
    private readonly long _anchorTicks;
    private readonly long _anchorUnixNs;

    public TimestampClock(TimeProvider time)
    {
        _time = time;
        _frequency = time.TimestampFrequency;
        _anchorTicks = time.GetTimestamp();
        _anchorUnixNs = (time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
    }

    public TimeProvider TimeProvider => _time;

    /// <summary>Ticks per second.</summary>
    public long Frequency => _frequency;

    public long Now => _time.GetTimestamp();

    public long TicksToMicroseconds(long ticks) =>
        _frequency == 1_000_000_000 ? ticks / 1000 : (long)(ticks * (1_000_000.0 / _frequency));

    public long MicrosecondsToTicks(long us) =>
        _frequency == 1_000_000_000 ? us * 1000 : (long)(us * (_frequency / 1_000_000.0));

    public long SecondsToTicks(double seconds) => (long)Math.Round(seconds * _frequency);

    public double TicksToSeconds(long ticks) => ticks / (double)_frequency;

    /// <summary>The Unix time (ns, UTC) of a timestamp taken from this clock.</summary>
    public long ToUnixNanoseconds(long ticks) =>
        _anchorUnixNs + (_frequency == 1_000_000_000 ? ticks - _anchorTicks : (long)((ticks - _anchorTicks) * (1e9 / _frequency)));

    /// <summary>The wall-clock time of a timestamp taken from this clock.</summary>
    public DateTimeOffset ToDateTimeOffset(long ticks) =>
        DateTimeOffset.UnixEpoch.AddTicks(ToUnixNanoseconds(ticks) / 100);

    /// <summary>The timestamp at which this clock will read <paramref name="utc"/>.</summary>
    public long FromDateTimeOffset(DateTimeOffset utc) =>
        _anchorTicks + SecondsToTicks(((utc - DateTimeOffset.UnixEpoch).Ticks * 100 - _anchorUnixNs) / 1e9);
}
