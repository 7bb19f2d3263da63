using Kukai.Engine.Metrics;
using Kukai.Engine.Protocols;
using Kukai.Engine.Timing;

namespace Kukai.Engine.Execution;

/// <summary>What every lane of one run shares. Immutable after construction except the stop flags.</summary>
internal sealed class RunState
{
    private readonly Lock _lanesLock = new();
    private Lane[] _lanes = [];
    private Exception? _unexpected;

    public RunState(TimestampClock clock, RunMetrics metrics, IRequestChannelFactory[] factories, TargetSelector selector, long timeoutTicks, ulong seed)
    {
        Clock = clock;
        Metrics = metrics;
        Factories = factories;
        Selector = selector;
        TimeoutTicks = timeoutTicks;
        Seed = seed;
    }

    public TimestampClock Clock { get; }

    public RunMetrics Metrics { get; }

    public IRequestChannelFactory[] Factories { get; }

    public TargetSelector Selector { get; }

    public long TimeoutTicks { get; }

    public ulong Seed { get; }

    /// <summary>
    /// Set when no new request may start (stop requested, requests exhausted, or the duration elapsed; every loop reads
    /// the end from its clock, see <see cref="MayStart"/>).
    /// </summary>
    public bool StopIssuing;

    /// <summary>Set by a hard stop: every request in flight is aborted, also one that started as the stop came.</summary>
    public bool Aborted;

    /// <summary>The first exception a channel leaked (a bug), if any.</summary>
    public Exception? Unexpected => Volatile.Read(ref _unexpected);

    /// <summary>Every lane created so far (copy-on-write; the watchdog iterates a snapshot).</summary>
    public Lane[] Lanes => Volatile.Read(ref _lanes);

    public Lane NewLane()
    {
        lock (_lanesLock)
        {
            var lane = new Lane(this, _lanes.Length);
            Volatile.Write(ref _lanes, [.. _lanes, lane]);
            return lane;
        }
    }

    /// <summary>
    /// Whether a request may still start at <paramref name="now"/>: not after a stop, nor once the duration has ended
    /// (<paramref name="endTicks"/>; 0 = no time bound). Every loop reads the end from its own clock here, as a request
    /// is taken (closed loops) or a waiting one is handed a lane (paced loops), not from a timer racing them, which
    /// fires late: no request starts after the end, and a paced one still waiting then is always dropped.
    /// </summary>
    public bool MayStart(long now, long endTicks) => !Volatile.Read(ref StopIssuing) && (endTicks == 0 || now < endTicks);

    public void ReportUnexpected(Exception ex) => Interlocked.CompareExchange(ref _unexpected, ex, null);
}
