using Kukai.Engine.Protocols;

namespace Kukai.Engine.Metrics;

/// <summary>
/// The statistics SPEC §3 reports for the aggregate, each driver and each target (the stats objects of
/// <c>summary.json</c> and the API). Built from merged counters; see <see cref="From"/>.
/// </summary>
/// <param name="Count">Requests with an outcome.</param>
/// <param name="Ok">Successful requests.</param>
/// <param name="Errors">Failures by kind (every kind present, zeros included).</param>
/// <param name="Rps">Completed requests per second over the test's duration.</param>
/// <param name="BytesSent">Bytes written.</param>
/// <param name="BytesReceived">Bytes read.</param>
/// <param name="Late">Requests sent more than 1 ms behind schedule.</param>
/// <param name="LateConnectionsBusy">
/// Of <paramref name="Late"/>, those late mostly because every connection was busy with the target (the rest: the
/// generator itself was behind). Null in results written before the split was counted.
/// </param>
/// <param name="Dropped">Scheduled requests never sent (in-flight bound reached, or still waiting at the end).</param>
/// <param name="Sent">Requests handed to a connection.</param>
/// <param name="LatencyMs">Latency from the intended start.</param>
/// <param name="ServiceTimeMs">Latency from the actual send.</param>
/// <param name="ScheduleLagMs">Paced tests: how far each send trailed its intended start (0 for an unlimited avalanche).</param>
public sealed record StatsSummary(
    long Count,
    long Ok,
    IReadOnlyDictionary<string, long> Errors,
    double Rps,
    long BytesSent,
    long BytesReceived,
    long Late,
    long? LateConnectionsBusy,
    long Dropped,
    long Sent,
    LatencySummary LatencyMs,
    LatencySummary ServiceTimeMs,
    LatencySummary? ScheduleLagMs = null)
{
    /// <summary>Failed requests over all requests with an outcome (0 when none).</summary>
    public double ErrorRate => Count == 0 ? 0 : (double)(Count - Ok) / Count;

    public static StatsSummary From(TargetCounters c, double elapsedSeconds, IReadOnlyList<double>? extraPercentiles = null)
    {
        var errors = new Dictionary<string, long>(ErrorKinds.All.Length);
        foreach (var kind in ErrorKinds.All)
        {
            errors[kind.ToWireName()] = c.ErrorsOf(kind);
        }

        var rps = elapsedSeconds > 0 ? Math.Round(c.Count / elapsedSeconds, 3) : 0;
        return new StatsSummary(
            c.Count,
            c.Ok,
            errors,
            rps,
            c.BytesSent,
            c.BytesReceived,
            c.Late,
            c.LateConnectionsBusy,
            c.Dropped,
            c.Sent,
            LatencySummary.From(c.Latency, extraPercentiles),
            LatencySummary.From(c.ServiceTime, extraPercentiles),
            LatencySummary.From(c.ScheduleLag));
    }
}
