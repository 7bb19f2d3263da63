using Kukai.Engine.Health;

namespace Kukai.Engine.Metrics;

/// <summary>
/// One driver's second (a row of <c>timeseries.csv</c>): requests sent and completed <em>in that second</em> (so the
/// rows of a driver add up to its totals), errors, requests per second (the completions of that second: a final,
/// partial second shows what it completed, never an extrapolation), and latency percentiles of that second.
/// </summary>
public sealed record TimeseriesRow(
    long Second,
    string DriverId,
    long Sent,
    long Completed,
    long Errors,
    double Rps,
    double P50Ms,
    double P90Ms,
    double P99Ms,
    double MaxMs)
{
    /// <summary>The driver's CPU during the second, when known.</summary>
    public HostHealth? Health { get; init; }

    private static readonly double[] RowPercentiles = [50, 90, 99];

    public static TimeseriesRow From(string driverId, IntervalSnapshot interval, TargetCounters total)
    {
        Span<long> p = stackalloc long[RowPercentiles.Length];
        total.Latency.ValuesAtPercentiles(RowPercentiles, p);
        return new TimeseriesRow(
            interval.Second,
            driverId,
            total.Sent,
            total.Count,
            total.Errors,
            total.Count,
            LatencySummary.Ms(p[0]),
            LatencySummary.Ms(p[1]),
            LatencySummary.Ms(p[2]),
            LatencySummary.Ms(total.Latency.Max))
        {
            Health = interval.Health,
        };
    }
}
