using System.Globalization;
using Kukai.Engine.Histograms;

namespace Kukai.Engine.Metrics;

/// <summary>
/// Latency statistics in milliseconds (µs precision), read from a histogram: percentiles from the (merged)
/// histogram, never averaged; min, max and mean exact. <c>Mode</c> is the centre of the most frequent 0.1 ms bin (ties: lower).
/// </summary>
public sealed record LatencySummary(
    double Min,
    double Max,
    double Mean,
    double Stddev,
    double Median,
    double Mode,
    double P90,
    double P95,
    double P99,
    double P999)
{
    /// <summary>Extra percentiles asked for (key: the percentile as written, e.g. "99.99").</summary>
    public IReadOnlyDictionary<string, double>? Percentiles { get; init; }

    public static LatencySummary From(LatencyHistogram h, IReadOnlyList<double>? extraPercentiles = null)
    {
        Dictionary<string, double>? extra = null;
        if (extraPercentiles is { Count: > 0 })
        {
            extra = [];
            foreach (var p in extraPercentiles)
            {
                extra[p.ToString(CultureInfo.InvariantCulture)] = Ms(h.ValueAtPercentile(p));
            }
        }

        return new LatencySummary(
            Ms(h.Min),
            Ms(h.Max),
            Round(h.Mean / 1000),
            Round(h.StdDev / 1000),
            Ms(h.ValueAtPercentile(50)),
            ModeMs(h),
            Ms(h.ValueAtPercentile(90)),
            Ms(h.ValueAtPercentile(95)),
            Ms(h.ValueAtPercentile(99)),
            Ms(h.ValueAtPercentile(99.9)))
        {
            Percentiles = extra,
        };
    }

    /// <summary>Width of the bins <c>mode</c> counts in: 0.1 ms (SPEC §3).</summary>
    public const long ModeBinUs = 100;

    /// <summary>The most frequent 0.1 ms bin, reported as its centre (a bin [0.1, 0.2) ms reads 0.15 ms); 0 when empty.</summary>
    public static double ModeMs(LatencyHistogram h) => h.IsEmpty ? 0 : Ms(h.Mode(ModeBinUs) + (ModeBinUs / 2));

    /// <summary>Microseconds to milliseconds.</summary>
    public static double Ms(long us) => us / 1000.0;

    private static double Round(double ms) => double.IsFinite(ms) ? Math.Round(ms, 3) : 0;
}
