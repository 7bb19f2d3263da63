using Kukai.Engine.Metrics;

namespace Kukai.Results.Report;

/// <summary>Turns a summary, its per-driver rows and its percentile distribution into <see cref="ReportChartData"/>.</summary>
internal static class ReportChartBuilder
{
    /// <summary>Most points a time chart gets: a one-hour test is drawn second by second, longer ones in buckets.</summary>
    public const int MaxTimePoints = 3600;

    /// <summary>Most points of the percentile curve (HdrHistogram's own output has a few hundred).</summary>
    public const int MaxCurvePoints = 4000;

    public static ReportChartData Build(TestSummary summary, IReadOnlyList<TimeseriesRow> timeseries, IReadOnlyList<HgrmPoint> curve)
    {
        var seconds = Seconds(summary, timeseries);
        var saturated = new SortedSet<long>(summary.SaturatedSeconds.Select(s => s.Second));
        foreach (var s in seconds)
        {
            if (s.Saturated)
            {
                saturated.Add(s.Second);
            }
        }

        var first = seconds.Count == 0 ? 0 : seconds[0].Second;
        var last = seconds.Count == 0 ? -1 : seconds[^1].Second;
        var span = last - first + 1;
        var bucket = (int)Math.Max(1, (span + MaxTimePoints - 1) / MaxTimePoints);
        var n = (int)((span + bucket - 1) / bucket);
        var grid = new BucketGrid(first, last, bucket, n);

        var sent = grid.Rates(seconds, s => s.Sent);
        var completed = grid.Rates(seconds, s => s.Completed);
        var errors = grid.Rates(seconds, s => s.Errors);
        var late = grid.Rates(seconds, s => s.Late);
        var lateBusy = grid.Rates(seconds, s => s.LateConnectionsBusy);
        var dropped = grid.Rates(seconds, s => s.Dropped);
        var p50 = grid.Worst(seconds, s => s.P50);
        var p90 = grid.Worst(seconds, s => s.P90);
        var p99 = grid.Worst(seconds, s => s.P99);
        var max = grid.Worst(seconds, s => s.Max);

        var driverIds = timeseries.Select(r => r.DriverId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        ReportChartData.DriverSeries[] drivers = [];
        if (driverIds.Count is >= 2 and <= HtmlReport.MaxDriverLines)
        {
            var rowsOf = timeseries.Where(r => r.Second >= first && r.Second <= last).ToLookup(r => r.DriverId, StringComparer.Ordinal);
            drivers = [.. driverIds.Select(id => new ReportChartData.DriverSeries(id, grid.Rates([.. rowsOf[id].Select(SecondRow.FromDriver)], s => s.Completed)))];
        }

        return new ReportChartData
        {
            Bucket = bucket,
            X = grid.X(),
            Sent = sent,
            Completed = completed,
            Errors = errors,
            Late = late,
            LateConnectionsBusy = lateBusy,
            Dropped = dropped,
            P50 = p50,
            P90 = p90,
            P99 = p99,
            Max = max,
            Saturated = Ranges(saturated),
            Drivers = drivers,
            Lost = [.. summary.LostDrivers.Select(id => new ReportChartData.LostMarker(id, LostSecond(summary, id)))],
            Curve = Curve(curve),
            ErrorKinds = [.. summary.Aggregate.Errors.Select(e => new ReportChartData.ErrorCount(e.Key, e.Value))],
            Requests = summary.Aggregate.Count,
        };
    }

    /// <summary>Seconds across drivers: the summary's timeline, or (older summaries without one) the per-driver rows added up.</summary>
    internal static List<SecondRow> Seconds(TestSummary summary, IReadOnlyList<TimeseriesRow> timeseries)
    {
        if (summary.Timeline.Count > 0 || timeseries.Count == 0)
        {
            return [.. summary.Timeline.Select(SecondRow.FromTimeline).OrderBy(s => s.Second)];
        }

        // Percentiles of several drivers cannot be added up: without a timeline they are only known for one driver.
        var oneDriver = timeseries.Select(r => r.DriverId).Distinct(StringComparer.Ordinal).Count() == 1;
        return [.. timeseries.GroupBy(r => r.Second).OrderBy(g => g.Key).Select(g => oneDriver
            ? SecondRow.FromDriver(g.First())
            : new SecondRow(g.Key, g.Sum(r => r.Sent), g.Sum(r => r.Completed), g.Sum(r => r.Errors), null, null, null, null, null, null, null, false))];
    }

    private static double LostSecond(TestSummary summary, string id) =>
        summary.LostAt is not null && summary.LostAt.TryGetValue(id, out var at)
            ? Math.Round(Math.Max(0, (at - summary.StartedAt).TotalSeconds), 3)
            : summary.DurationSeconds;

    private static double[][] Ranges(SortedSet<long> seconds)
    {
        var ranges = new List<double[]>();
        foreach (var s in seconds)
        {
            if (ranges.Count > 0 && ranges[^1][1] == s)
            {
                ranges[^1][1] = s + 1;
            }
            else
            {
                ranges.Add([s, s + 1]);
            }
        }

        return [.. ranges];
    }

    private static ReportChartData.CurveData? Curve(IReadOnlyList<HgrmPoint> points)
    {
        if (points.Count == 0)
        {
            return null;
        }

        // Thin evenly when a foreign file is very long; always keep the last point (the maximum).
        var step = (points.Count + MaxCurvePoints - 1) / MaxCurvePoints;
        var kept = new List<HgrmPoint>(Math.Min(points.Count, MaxCurvePoints + 1));
        for (var i = 0; i < points.Count; i += step)
        {
            kept.Add(points[i]);
        }

        if (kept[^1] != points[^1])
        {
            kept.Add(points[^1]);
        }

        return new ReportChartData.CurveData(
            [.. kept.Select(p => p.Percentile)],
            [.. kept.Select(p => p.ValueMs)],
            [.. kept.Select(p => p.TotalCount)],
            points.Max(p => p.ValueMs));
    }

    /// <summary>One second across drivers; nulls where unknown.</summary>
    internal sealed record SecondRow(
        long Second, long Sent, long Completed, long Errors, long? Late, long? LateConnectionsBusy, long? Dropped,
        double? P50, double? P90, double? P99, double? Max, bool Saturated)
    {
        // A second in which nothing completed has no latency (its zeros are not 0 ms): a gap in the latency chart.
        public static SecondRow FromTimeline(SecondSummary s) => s.Completed > 0
            ? new(s.Second, s.Sent, s.Completed, s.Errors, s.Late, s.LateConnectionsBusy, s.Dropped, s.P50Ms, s.P90Ms, s.P99Ms, s.MaxMs, s.SaturatedDrivers > 0)
            : new(s.Second, s.Sent, s.Completed, s.Errors, s.Late, s.LateConnectionsBusy, s.Dropped, null, null, null, null, s.SaturatedDrivers > 0);

        public static SecondRow FromDriver(TimeseriesRow r) => r.Completed > 0
            ? new(r.Second, r.Sent, r.Completed, r.Errors, null, null, null, r.P50Ms, r.P90Ms, r.P99Ms, r.MaxMs, r.Health?.Saturated == true)
            : new(r.Second, r.Sent, r.Completed, r.Errors, null, null, null, null, null, null, null, r.Health?.Saturated == true);
    }

    /// <summary>Seconds <c>first..last</c> cut into <c>count</c> buckets of <c>width</c> seconds (the last may be shorter).</summary>
    private sealed class BucketGrid(long first, long last, int width, int count)
    {
        public long[] X()
        {
            var x = new long[count];
            for (var i = 0; i < count; i++)
            {
                x[i] = first + ((long)i * width);
            }

            return x;
        }

        /// <summary>Average per second over each bucket; null for a bucket without any row.</summary>
        public double?[] Rates(IReadOnlyList<SecondRow> rows, Func<SecondRow, long?> value)
        {
            var sums = new double?[count];
            foreach (var row in rows)
            {
                if (value(row) is { } v)
                {
                    var i = Index(row.Second);
                    sums[i] = (sums[i] ?? 0) + v;
                }
            }

            for (var i = 0; i < count; i++)
            {
                if (sums[i] is { } sum && width > 1)
                {
                    var start = first + ((long)i * width);
                    sums[i] = Math.Round(sum / Math.Min(width, last + 1 - start), 3);
                }
            }

            return sums;
        }

        /// <summary>The largest value of each bucket (a latency percentile of its worst second); null when unknown.</summary>
        public double?[] Worst(IReadOnlyList<SecondRow> rows, Func<SecondRow, double?> value)
        {
            var worst = new double?[count];
            foreach (var row in rows)
            {
                if (value(row) is { } v && double.IsFinite(v))
                {
                    var i = Index(row.Second);
                    worst[i] = Math.Max(worst[i] ?? double.MinValue, v);
                }
            }

            return worst;
        }

        private int Index(long second) => (int)((second - first) / width);
    }
}
