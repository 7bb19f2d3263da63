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

    private static readonly double[] Standard = [50, 90, 95, 99, 99.9];

    public static LatencySummary From(LatencyHistogram h, IReadOnlyList<double>? extraPercentiles = null)
    {
        // One pass over the counts for every percentile asked for.
        var asked = extraPercentiles is { Count: > 0 } ? [.. Standard, .. extraPercentiles] : Standard;
        Span<long> values = stackalloc long[asked.Length <= 64 ? asked.Length : 0];
        if (values.Length != asked.Length)
        {
            values = new long[asked.Length];
        }

        h.ValuesAtPercentiles(asked, values);
        Dictionary<string, double>? extra = null;
        if (extraPercentiles is { Count: > 0 })
        {
            extra = [];
            for (var i = 0; i < extraPercentiles.Count; i++)
            {
                extra[extraPercentiles[i].ToString(CultureInfo.InvariantCulture)] = Ms(values[Standard.Length + i]);
            }
        }

        return new LatencySummary(
            Ms(h.Min),
            Ms(h.Max),
            Round(h.Mean / 1000),
            Round(h.StdDev / 1000),
            Ms(values[0]),
            ModeMs(h),
            Ms(values[1]),
            Ms(values[2]),
            Ms(values[3]),
            Ms(values[4]))
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
