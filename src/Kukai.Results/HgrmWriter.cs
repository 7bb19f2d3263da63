using System.Globalization;
using System.Text;
using Kukai.Engine.Histograms;

namespace Kukai.Results;

/// <summary>
/// <c>latency.hgrm</c>: a histogram's percentile distribution in HdrHistogram's text format (as
/// <c>outputPercentileDistribution</c> prints it, values in milliseconds), which HdrHistogram's plotter reads.
/// </summary>
/// <remarks>
/// Percentile levels follow HdrHistogram's percentile iterator with 5 ticks per half distance: each step adds
/// <c>100 / (5 · 2^(⌊log2(100 / (100 − level))⌋ + 1))</c> percent, so the tail is reported ever more finely, and the
/// last line is the 100th percentile without the 1/(1−p) column.
/// </remarks>
public static class HgrmWriter
{
    private const int TicksPerHalfDistance = 5;

    // The histogram's layout in HdrHistogram's terms (1 µs .. 1 h at 3 significant digits), for the footer.
    private const int HdrBuckets = 22;
    private const int HdrSubBuckets = 2048;

    public static string Format(LatencyHistogram h, double unitsPerMillisecond = 1000)
    {
        var ic = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(ic, $"{"Value",12} {"Percentile",14} {"TotalCount",10} {"1/(1-Percentile)",14}\n\n");
        var total = h.Count;
        if (total > 0)
        {
            double level = 0;
            long cumulative = 0;
            foreach (var bucket in h.RecordedBuckets)
            {
                cumulative += bucket.Count;
                var reached = 100.0 * cumulative / total;
                var value = Math.Min(bucket.HighestEquivalent, h.Max) / unitsPerMillisecond;
                while (level <= reached)
                {
                    Line(sb, value, level, cumulative);
                    var ticks = TicksPerHalfDistance * (long)Math.Pow(2, (long)(Math.Log(100.0 / (100.0 - level)) / Math.Log(2)) + 1);
                    level += 100.0 / ticks;

                    // As HdrHistogram's iterator does, the last recorded value is reported once; the 100% line follows.
                    if (cumulative == total)
                    {
                        break;
                    }
                }
            }

            Line(sb, h.Max / unitsPerMillisecond, 100, total);
        }

        sb.Append(ic, $"#[Mean    = {h.Mean / unitsPerMillisecond,12:F3}, StdDeviation   = {h.StdDev / unitsPerMillisecond,12:F3}]\n");
        sb.Append(ic, $"#[Max     = {h.Max / unitsPerMillisecond,12:F3}, Total count    = {total,12}]\n");
        sb.Append(ic, $"#[Buckets = {HdrBuckets,12}, SubBuckets     = {HdrSubBuckets,12}]\n");
        return sb.ToString();
    }

    private static void Line(StringBuilder sb, double value, double percentile, long cumulative)
    {
        var ic = CultureInfo.InvariantCulture;
        var p = percentile / 100;
        if (percentile < 100)
        {
            sb.Append(ic, $"{value,12:F3} {p,14:F12} {cumulative,10} {1 / (1 - p),14:F2}\n");
        }
        else
        {
            sb.Append(ic, $"{value,12:F3} {p,14:F12} {cumulative,10}\n");
        }
    }
}
