using System.Runtime.CompilerServices;
using Kukai.Engine.Protocols;

namespace Kukai.Engine.Metrics;

/// <summary>
/// One lock stripe of <see cref="RunMetrics"/>: interval counters per target and a chunk of per-request records.
/// All members take one lock; lanes bound to the stripe record here.
/// </summary>
public sealed class MetricsStripe
{
    private readonly Lock _sync = new();
    private readonly IRequestRecordSink? _sink;
    private TargetCounters[] _active;
    private TargetCounters[] _spare;
    private RequestRecord[]? _records;
    private int _recordCount;
    private ulong _rng;

    internal MetricsStripe(int targetCount, IRequestRecordSink? sink, ulong seed)
    {
        _sink = sink;
        _rng = seed | 1;
        _active = NewCounters(targetCount);
        _spare = NewCounters(targetCount);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void AddSent(int targetIndex)
    {
        lock (_sync)
        {
            _active[targetIndex].Sent++;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void Record(int targetIndex, in RequestOutcome outcome, long latencyUs, long serviceUs, long lagUs, Lateness lateness, long timestampNs, double recordFraction)
    {
        lock (_sync)
        {
            _active[targetIndex].Record(outcome, latencyUs, serviceUs, lagUs, lateness);
            if (_sink is not null && (recordFraction >= 1.0 || NextDouble() < recordFraction))
            {
                AppendRecord(new RequestRecord(timestampNs, targetIndex, latencyUs, outcome.Status, outcome.Error, outcome.BytesSent, outcome.BytesReceived));
            }
        }
    }

    internal void DrainInto(TargetCounters[] into)
    {
        TargetCounters[] taken;
        lock (_sync)
        {
            taken = _active;
            _active = _spare;
            _spare = taken;
        }

        // `taken` is no longer visible to recorders; merge and clear it outside the lock.
        for (var t = 0; t < taken.Length; t++)
        {
            if (!taken[t].IsEmpty)
            {
                into[t].Add(taken[t]);
                taken[t].Reset();
            }
        }
    }

    internal void FlushRecords()
    {
        lock (_sync)
        {
            if (_records is not null && _recordCount > 0)
            {
                SubmitRecords();
            }
        }
    }

    private void AppendRecord(in RequestRecord record)
    {
        _records ??= _sink!.Rent();
        _records[_recordCount++] = record;
        if (_recordCount == _records.Length)
        {
            // May block for back-pressure; recording on this stripe waits, which is the point.
            SubmitRecords();
        }
    }

    // Under _sync. The chunk is handed over before Submit runs, so a sink that throws leaves the stripe with no chunk
    // (the next record rents a new one) rather than a full one that every later record would overrun.
    private void SubmitRecords()
    {
        var chunk = _records!;
        var count = _recordCount;
        _records = null;
        _recordCount = 0;
        _sink!.Submit(chunk, count);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double NextDouble()
    {
        // xorshift64*: cheap and good enough for sampling.
        var x = _rng;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        _rng = x;
        return ((x * 0x2545F4914F6CDD1DUL) >> 11) * (1.0 / (1UL << 53));
    }

    private static TargetCounters[] NewCounters(int n)
    {
        var a = new TargetCounters[n];
        for (var i = 0; i < n; i++)
        {
            a[i] = new TargetCounters();
        }

        return a;
    }
}
