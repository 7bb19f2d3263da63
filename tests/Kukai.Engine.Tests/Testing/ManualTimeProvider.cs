namespace Kukai.Engine.Tests.Testing;

/// <summary>
/// A clock that moves only when the test says so. Timers fire on the thread that calls <see cref="Advance"/>, in
/// due order. The timestamp frequency is configurable so conversions are tested at 1 GHz (Linux) and 10 MHz (Windows).
/// </summary>
internal sealed class ManualTimeProvider(long frequency = 1_000_000_000, DateTimeOffset? start = null) : TimeProvider
{
    private readonly Lock _sync = new();
    private readonly List<ManualTimer> _timers = [];
    private readonly DateTimeOffset _start = start ?? new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private long _ticks = 1_000 * frequency; // not zero, so "0 = none" conventions cannot hide bugs

    public override long TimestampFrequency => frequency;

    public override long GetTimestamp() => Volatile.Read(ref _ticks);

    public override DateTimeOffset GetUtcNow() =>
        _start + TimeSpan.FromSeconds((Volatile.Read(ref _ticks) - 1_000 * frequency) / (double)frequency);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves time forward, firing every timer that falls due on the way (at its due time).</summary>
    public void Advance(TimeSpan by)
    {
        var target = GetTimestamp() + (long)Math.Round(by.TotalSeconds * frequency);
        while (true)
        {
            ManualTimer? next = null;
            lock (_sync)
            {
                foreach (var t in _timers)
                {
                    if (t.DueTicks <= target && (next is null || t.DueTicks < next.DueTicks))
                    {
                        next = t;
                    }
                }

                if (next is null)
                {
                    break;
                }

                Volatile.Write(ref _ticks, Math.Max(_ticks, next.DueTicks));
                if (next.PeriodTicks > 0)
                {
                    next.DueTicks += next.PeriodTicks;
                }
                else
                {
                    _timers.Remove(next);
                }
            }

            next.Fire();
        }

        Volatile.Write(ref _ticks, target);
    }

    private void Schedule(ManualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        lock (_sync)
        {
            _timers.Remove(timer);
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                return;
            }

            timer.DueTicks = _ticks + (long)Math.Round(dueTime.TotalSeconds * frequency);
            timer.PeriodTicks = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? 0 : (long)Math.Round(period.TotalSeconds * frequency);
            _timers.Add(timer);
        }
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public long DueTicks { get; set; }

        public long PeriodTicks { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            owner.Schedule(this, dueTime, period);
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => owner.Schedule(this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
