using System.Diagnostics;
using System.Runtime.CompilerServices;
using Kukai.Engine.Protocols;
using Kukai.Engine.Timing;

namespace Kukai.Engine.Metrics;

/// <summary>
/// Thread-safe recording for one run: load threads record into lock-striped interval counters; a reporter calls
/// <see cref="TakeInterval"/> once per interval and gets everything recorded since the previous call.
/// </summary>
/// <remarks>
/// Load threads record into <see cref="CurrentStripe"/>, a stripe of their own, so the stripe lock is taken by one
/// thread except once a second by the reporter: recording costs an uncontended lock and a few histogram increments,
/// and two completion threads never spin on each other. <see cref="TakeInterval"/> swaps each stripe's counters
/// for spare ones under the lock (the HdrHistogram "interval recorder" pattern), so no measurement is lost or
/// counted twice between intervals.
/// </remarks>
public sealed class RunMetrics
{
    private readonly Lock _stripesLock = new();
    private readonly MetricsStripe[] _fixedStripes;
    private readonly ThreadLocal<MetricsStripe> _threadStripe;
    private MetricsStripe[] _stripes;
    private readonly int _targetCount;
    private readonly TimestampClock _clock;
    private readonly long _lateThresholdTicks;
    private readonly IRequestRecordSink? _sink;
    private readonly double _recordFraction;
    private long _dropped;
    private int _nextStripe;

    public RunMetrics(int targetCount, TimestampClock clock, IRequestRecordSink? sink = null, double recordFraction = 1.0, int stripes = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(targetCount, 1);
        _targetCount = targetCount;
        _clock = clock;
        _lateThresholdTicks = clock.MicrosecondsToTicks(1000);
        _sink = recordFraction > 0 ? sink : null;
        _recordFraction = recordFraction;
        var n = stripes > 0 ? stripes : 1;
        _fixedStripes = new MetricsStripe[n];
        for (var i = 0; i < n; i++)
        {
            _fixedStripes[i] = new MetricsStripe(targetCount, _sink, (ulong)(i + 1) * 0x9E3779B97F4A7C15UL);
        }

        _stripes = [.. _fixedStripes];
        _threadStripe = new ThreadLocal<MetricsStripe>(AddThreadStripe);
    }

    public int TargetCount => _targetCount;

    /// <summary>The calling thread's own stripe (created on first use): what load threads record into.</summary>
    public MetricsStripe CurrentStripe => _threadStripe.Value!;

    /// <summary>One of the fixed stripes, round-robin (tests that place records on given stripes).</summary>
    public MetricsStripe NextStripe() => _fixedStripes[(int)((uint)Interlocked.Increment(ref _nextStripe) % (uint)_fixedStripes.Length)];

    /// <summary>Counts a scheduled request that was never sent (the in-flight bound was reached).</summary>
    public void RecordDropped() => Interlocked.Increment(ref _dropped);

    /// <summary>Counts a request handed to a connection.</summary>
    public static void RecordSent(MetricsStripe stripe, int targetIndex) => stripe.AddSent(targetIndex);

    /// <summary>
    /// Records one completed request. Timestamps are <see cref="TimestampClock"/> ticks: <paramref name="laneFreeTicks"/>
    /// is when the request got a free connection (its intended start when one was idle then, later when it waited in
    /// the backlog), which tells a late request's two causes apart (<see cref="Classify"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void RecordCompletion(MetricsStripe stripe, int targetIndex, long intendedTicks, long laneFreeTicks, long sendTicks, long endTicks, in RequestOutcome outcome)
    {
        var latencyUs = _clock.TicksToMicroseconds(endTicks - intendedTicks);
        var serviceUs = _clock.TicksToMicroseconds(endTicks - sendTicks);
        var lagTicks = sendTicks - intendedTicks;
        var timestampNs = _sink is null ? 0 : _clock.ToUnixNanoseconds(intendedTicks);
        var lateness = Classify(intendedTicks, laneFreeTicks, sendTicks, _lateThresholdTicks);
        stripe.Record(targetIndex, outcome, latencyUs, serviceUs, _clock.TicksToMicroseconds(lagTicks), lateness, timestampNs, _recordFraction);
    }

    /// <summary>
    /// On time when sent at most <paramref name="thresholdTicks"/> after the intended start; otherwise late for
    /// whichever took longer: waiting for a free connection (intended start to <paramref name="laneFreeTicks"/>) or,
    /// with a connection free, waiting for the generator to send it (from then to <paramref name="sendTicks"/>). A tie
    /// goes to the connections.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Lateness Classify(long intendedTicks, long laneFreeTicks, long sendTicks, long thresholdTicks)
    {
        if (sendTicks - intendedTicks <= thresholdTicks)
        {
            return Lateness.OnTime;
        }

        var connectionWait = Math.Max(laneFreeTicks - intendedTicks, 0);
        var generatorWait = sendTicks - Math.Max(laneFreeTicks, intendedTicks);
        return connectionWait >= generatorWait ? Lateness.ConnectionsBusy : Lateness.Behind;
    }

    /// <summary>
    /// Everything recorded since the previous call, per target. Call from one thread (the reporter).
    /// </summary>
    public IntervalSnapshot TakeInterval(long second, double elapsedSeconds)
    {
        var targets = new TargetCounters[_targetCount];
        for (var t = 0; t < targets.Length; t++)
        {
            targets[t] = new TargetCounters();
        }

        foreach (var stripe in Volatile.Read(ref _stripes))
        {
            stripe.DrainInto(targets);
        }

        // Dropped requests belong to no target's connection; they are charged to the first target so that the
        // per-target sums equal the totals.
        targets[0].Dropped += Interlocked.Exchange(ref _dropped, 0);
        return new IntervalSnapshot(second, elapsedSeconds, targets);
    }

    /// <summary>Hands every partly filled record chunk to the sink; call once after the last request completed.</summary>
    public void FlushRecords()
    {
        foreach (var stripe in Volatile.Read(ref _stripes))
        {
            stripe.FlushRecords();
        }
    }

    private MetricsStripe AddThreadStripe()
    {
        lock (_stripesLock)
        {
            var stripe = new MetricsStripe(_targetCount, _sink, (ulong)(_stripes.Length + 1) * 0x9E3779B97F4A7C15UL);
            Volatile.Write(ref _stripes, [.. _stripes, stripe]);
            return stripe;
        }
    }

    [Conditional("DEBUG")]
    internal void AssertTargetIndex(int targetIndex) => Debug.Assert((uint)targetIndex < (uint)_targetCount);
}
