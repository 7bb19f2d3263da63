namespace Kukai.Target.Stall;

/// <summary>
/// The freeze schedule of <c>--stall-ms M --stall-every-ms N</c>: freeze k covers the timestamps
/// [origin + k·N + (N − M), origin + (k + 1)·N), origin being the server's start. An arrival inside a
/// freeze waits until the freeze ends, then is served normally.
/// </summary>
/// <remarks>
/// Thread-safe and allocation-free when not frozen. All time comes from the injected
/// <see cref="TimeProvider"/> (timestamps to decide, its timers to wait), so tests drive it with a fake clock.
/// </remarks>
internal sealed class StallSchedule
{
    private readonly TimeProvider _time;
    private readonly TargetCounters _counters;
    private readonly long _origin;
    private readonly long _period;
    private readonly long _freezeStart;

    /// <param name="stallMs">Freeze length M in milliseconds, 0 &lt; M &lt; N.</param>
    /// <param name="everyMs">Period N in milliseconds.</param>
    /// <param name="time">Clock for deciding and waiting.</param>
    /// <param name="originTimestamp">Server start, in <paramref name="time"/>'s timestamp units.</param>
    /// <param name="counters">Where stalled arrivals and observed freezes are counted.</param>
    public StallSchedule(int stallMs, int everyMs, TimeProvider time, long originTimestamp, TargetCounters counters)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stallMs);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(stallMs, everyMs);
        _time = time;
        _counters = counters;
        _origin = originTimestamp;
        _period = MillisecondsToTimestamp(everyMs, time.TimestampFrequency);
        _freezeStart = _period - MillisecondsToTimestamp(stallMs, time.TimestampFrequency);
    }

    /// <summary>
    /// Whether <paramref name="timestamp"/> falls inside a freeze; if so, which one (k) and the timestamp
    /// at which it ends.
    /// </summary>
    public bool TryGetFreeze(long timestamp, out long window, out long freezeEnd)
    {
        var elapsed = timestamp - _origin;
        if (elapsed >= 0)
        {
            var k = elapsed / _period;
            if (elapsed - (k * _period) >= _freezeStart)
            {
                window = k;
                freezeEnd = _origin + ((k + 1) * _period);
                return true;
            }
        }

        window = -1;
        freezeEnd = 0;
        return false;
    }

    /// <summary>
    /// Completes at once (synchronously) when the server is not frozen now; otherwise counts the stalled
    /// arrival and completes when the freeze in force ends (not a later one).
    /// </summary>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> fires first.</exception>
    public ValueTask WaitIfFrozenAsync(CancellationToken cancellationToken)
    {
        if (!TryGetFreeze(_time.GetTimestamp(), out var window, out var freezeEnd))
        {
            return default;
        }

        _counters.Stalled(window);
        return new ValueTask(WaitUntilAsync(freezeEnd, cancellationToken));
    }

    private async Task WaitUntilAsync(long deadline, CancellationToken cancellationToken)
    {
        // Timers may round; loop until the clock has really reached the end of the freeze.
        while (true)
        {
            var remaining = deadline - _time.GetTimestamp();
            if (remaining <= 0)
            {
                return;
            }

            await Task.Delay(TimestampToTimeSpanCeiling(remaining, _time.TimestampFrequency), _time, cancellationToken)
                .ConfigureAwait(false);
        }
    }

    private static long MillisecondsToTimestamp(int milliseconds, long frequency) =>
        (long)((Int128)milliseconds * frequency / 1000);

    private static TimeSpan TimestampToTimeSpanCeiling(long timestamp, long frequency) =>
        TimeSpan.FromTicks((long)(((Int128)timestamp * TimeSpan.TicksPerSecond + frequency - 1) / frequency));
}
