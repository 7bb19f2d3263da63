using Kukai.Engine.Histograms;
using Kukai.Engine.Metrics;
using Kukai.Engine.Protocols;

namespace Kukai.Cluster.Messages;

/// <summary>
/// <see cref="TargetCounters"/> on the wire: counters, errors by kind, and the three histograms in their compact
/// binary form (base64 in JSON). Converting back rejects malformed histograms instead of trusting the sender.
/// </summary>
public sealed record CountersDto(
    long Sent,
    long Count,
    long Ok,
    IReadOnlyDictionary<string, long> Errors,
    long BytesSent,
    long BytesReceived,
    long Late,
    long LateConnectionsBusy,
    long Dropped,
    byte[] Latency,
    byte[] ServiceTime,
    byte[] ScheduleLag)
{
    public static CountersDto From(TargetCounters c)
    {
        var errors = new Dictionary<string, long>();
        foreach (var kind in ErrorKinds.All)
        {
            if (c.ErrorsOf(kind) is var n and > 0)
            {
                errors[kind.ToWireName()] = n;
            }
        }

        return new CountersDto(
            c.Sent, c.Count, c.Ok, errors, c.BytesSent, c.BytesReceived, c.Late, c.LateConnectionsBusy, c.Dropped,
            c.Latency.ToByteArray(), c.ServiceTime.ToByteArray(), c.ScheduleLag.ToByteArray());
    }

    /// <summary>Back to counters; false with a reason when the content is inconsistent or malformed.</summary>
    public bool TryToCounters(out TargetCounters counters, out string? error)
    {
        counters = new TargetCounters();
        if (Sent < 0 || Count < 0 || Ok < 0 || Ok > Count || BytesSent < 0 || BytesReceived < 0 || Late < 0 || LateConnectionsBusy < 0 || LateConnectionsBusy > Late || Dropped < 0)
        {
            error = "negative or inconsistent counters";
            return false;
        }

        long errorTotal = 0;
        foreach (var (name, n) in Errors ?? new Dictionary<string, long>())
        {
            if (!ErrorKinds.TryParse(name, out var kind) || kind == ErrorKind.None || n < 0)
            {
                error = $"unknown error kind '{name}' or negative count";
                return false;
            }

            counters.AddErrors(kind, n);
            errorTotal += n;
        }

        if (errorTotal != Count - Ok)
        {
            error = $"errors by kind ({errorTotal}) do not add up to count - ok ({Count - Ok})";
            return false;
        }

        if (!ReadInto(Latency, counters.Latency, out error) || !ReadInto(ServiceTime, counters.ServiceTime, out error) || !ReadInto(ScheduleLag, counters.ScheduleLag, out error))
        {
            return false;
        }

        counters.Sent = Sent;
        counters.Count = Count;
        counters.Ok = Ok;
        counters.BytesSent = BytesSent;
        counters.BytesReceived = BytesReceived;
        counters.Late = Late;
        counters.LateConnectionsBusy = LateConnectionsBusy;
        counters.Dropped = Dropped;
        error = null;
        return true;
    }

    // Into the new counters' own (empty) histogram: nothing decoded twice, no histogram allocated per report.
    private static bool ReadInto(byte[]? data, LatencyHistogram into, out string? error)
    {
        if (!LatencyHistogram.TryReadInto(data ?? [], into, out error))
        {
            error = "bad histogram: " + error;
            return false;
        }

        return true;
    }
}
