using System.Runtime.CompilerServices;
using Kukai.Engine.Histograms;
using Kukai.Engine.Protocols;

namespace Kukai.Engine.Metrics;

/// <summary>
/// Everything measured for one target over some span (a second, or a whole test): counters that add and
/// histograms that merge. Not thread-safe: the owner locks or owns it.
/// </summary>
public sealed class TargetCounters
{
    private readonly long[] _errors = new long[ErrorKinds.Count];

    /// <summary>Requests dispatched to a connection (sent or being sent).</summary>
    public long Sent { get; set; }

    /// <summary>Requests with an outcome (success or error).</summary>
    public long Count { get; set; }

    public long Ok { get; set; }

    public long BytesSent { get; set; }

    public long BytesReceived { get; set; }

    /// <summary>Requests sent more than 1 ms after their intended start.</summary>
    public long Late { get; set; }

    /// <summary>Of <see cref="Late"/>, those late mostly for want of a free connection (<see cref="Lateness.ConnectionsBusy"/>).</summary>
    public long LateConnectionsBusy { get; set; }

    /// <summary>Scheduled requests never sent because the in-flight bound was reached.</summary>
    public long Dropped { get; set; }

    /// <summary>Latency from the intended start (the actual send for an unlimited avalanche), µs.</summary>
    public LatencyHistogram Latency { get; } = new();

    /// <summary>Service time from the actual send, µs.</summary>
    public LatencyHistogram ServiceTime { get; } = new();

    /// <summary>Paced requests: how far the actual send trailed the intended start, µs.</summary>
    public LatencyHistogram ScheduleLag { get; } = new();

    public long Errors => Count - Ok;

    /// <summary>Count of failures of one kind.</summary>
    public long ErrorsOf(ErrorKind kind) => _errors[(int)kind];

    public void AddErrors(ErrorKind kind, long n) => _errors[(int)kind] += n;

    /// <summary>Records one completed request.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Record(in RequestOutcome outcome, long latencyUs, long serviceUs, long lagUs, Lateness lateness)
    {
        Count++;
        if (outcome.Error == ErrorKind.None)
        {
            Ok++;
        }
        else
        {
            _errors[(int)outcome.Error]++;
        }

        BytesSent += outcome.BytesSent;
        BytesReceived += outcome.BytesReceived;
        if (lateness != Lateness.OnTime)
        {
            Late++;
            if (lateness == Lateness.ConnectionsBusy)
            {
                LateConnectionsBusy++;
            }
        }

        Latency.Record(latencyUs);
        ServiceTime.Record(serviceUs);
        ScheduleLag.Record(lagUs);
    }

    /// <summary>Adds <paramref name="other"/> into this: counters add, histograms merge.</summary>
    public void Add(TargetCounters other)
    {
        AddCounts(other);
        Latency.Add(other.Latency);
        ServiceTime.Add(other.ServiceTime);
        ScheduleLag.Add(other.ScheduleLag);
    }

    /// <summary>Like <see cref="Add"/> but leaves <see cref="ServiceTime"/> and <see cref="ScheduleLag"/> alone.</summary>
    public void AddCountsAndLatency(TargetCounters other)
    {
        AddCounts(other);
        Latency.Add(other.Latency);
    }

    private void AddCounts(TargetCounters other)
    {
        Sent += other.Sent;
        Count += other.Count;
        Ok += other.Ok;
        BytesSent += other.BytesSent;
        BytesReceived += other.BytesReceived;
        Late += other.Late;
        LateConnectionsBusy += other.LateConnectionsBusy;
        Dropped += other.Dropped;
        for (var i = 0; i < _errors.Length; i++)
        {
            _errors[i] += other._errors[i];
        }
    }

    public void Reset()
    {
        Sent = Count = Ok = BytesSent = BytesReceived = Late = LateConnectionsBusy = Dropped = 0;
        Array.Clear(_errors);
        Latency.Reset();
        ServiceTime.Reset();
        ScheduleLag.Reset();
    }

    public TargetCounters Clone()
    {
        var copy = new TargetCounters();
        copy.Add(this);
        return copy;
    }

    /// <summary>True when nothing at all was counted.</summary>
    public bool IsEmpty => Sent == 0 && Count == 0 && Dropped == 0;
}
