using Kukai.Engine.Plans;

namespace Kukai.Engine.Metrics;

/// <summary>Checks a plan's thresholds against aggregate counters (percentiles from the merged histogram).</summary>
public static class ThresholdEvaluator
{
    public static IReadOnlyList<ThresholdResult> Evaluate(IEnumerable<string> thresholds, TargetCounters aggregate, double elapsedSeconds)
    {
        var results = new List<ThresholdResult>();
        foreach (var text in thresholds)
        {
            if (!Threshold.TryParse(text, out var t, out _))
            {
                continue; // Plans are validated before they run; an unparsable threshold cannot get here.
            }

            var actual = Measure(t!, aggregate, elapsedSeconds);
            results.Add(new ThresholdResult(text, actual, t!.Passes(actual)));
        }

        return results;
    }

    private static double Measure(Threshold t, TargetCounters c, double elapsedSeconds)
    {
        var h = c.Latency;
        if (t.Percentile is { } p)
        {
            return Ms(h.ValueAtPercentile(p));
        }

        return t.Metric switch
        {
            "count" => c.Count,
            "ok" => c.Ok,
            "errors" => c.Errors,
            "error_rate" => c.Count == 0 ? 0 : (double)c.Errors / c.Count,
            "rps" => elapsedSeconds > 0 ? c.Count / elapsedSeconds : 0,
            "late" => c.Late,
            "late_connections_busy" => c.LateConnectionsBusy,
            "late_generator_behind" => c.Late - c.LateConnectionsBusy,
            "dropped" => c.Dropped,
            "bytes_sent" => c.BytesSent,
            "bytes_received" => c.BytesReceived,
            "min_ms" => Ms(h.Min),
            "max_ms" => Ms(h.Max),
            "mean_ms" => h.Mean / 1000,
            "stddev_ms" => h.StdDev / 1000,
            "median_ms" => Ms(h.ValueAtPercentile(50)),
            "mode_ms" => LatencySummary.ModeMs(h),
            _ => double.NaN,
        };
    }

    private static double Ms(long us) => LatencySummary.Ms(us);
}
