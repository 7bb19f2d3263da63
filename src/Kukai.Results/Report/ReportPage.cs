using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Kukai.Engine.Metrics;
using Kukai.Engine.Plans;

namespace Kukai.Results.Report;

/// <summary>
/// Builds <c>report.html</c>: header, notes, summary tables and thresholds as escaped HTML; the charts' data as one JSON
/// blob that the inline script (<see cref="ReportScript"/>) draws on canvases.
/// </summary>
/// <remarks>
/// Safety: every string from the test (ids, urls, threshold text, plan) is HTML-escaped; the JSON blob escapes <c>&lt;</c>
/// so it cannot close its script element; a Content-Security-Policy allows no network at all and only the report's own
/// script (by hash), so even markup that slipped through could neither run nor load anything.
/// </remarks>
internal static class ReportPage
{
    /// <summary>Columns of the latency tables: the field of summary.json's <c>latencyMs</c> and the heading.</summary>
    private static readonly (string Field, string Label)[] LatencyColumns =
    [
        ("min", "min"), ("mean", "mean"), ("stddev", "stddev"), ("median", "median"), ("mode", "mode"),
        ("p90", "p90"), ("p95", "p95"), ("p99", "p99"), ("p999", "p99.9"), ("max", "max"),
    ];

    private static readonly string[] SensitiveHeaderParts = ["auth", "cookie", "token", "secret", "password", "key", "session"];

    private static readonly JsonSerializerOptions DataJson = new(JsonSerializerDefaults.Web)
    {
        // The default encoder writes ASCII only and escapes < > & ' ", so the blob cannot end its script element.
        Encoder = JavaScriptEncoder.Default,
        WriteIndented = false,
    };

    private static readonly string ScriptHash =
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(ReportScript.Text)));

    private static readonly CultureInfo Ic = CultureInfo.InvariantCulture;

    /// <param name="notes">Remarks about the inputs (a missing or unreadable file), shown near the top.</param>
    /// <param name="curveNote">Why there is no percentile curve, when <paramref name="curve"/> is empty.</param>
    public static string Render(
        TestSummary summary,
        IReadOnlyList<TimeseriesRow> timeseries,
        IReadOnlyList<HgrmPoint> curve,
        IReadOnlyList<string> notes,
        string? curveNote)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(timeseries);
        ArgumentNullException.ThrowIfNull(curve);
        var data = ReportChartBuilder.Build(summary, timeseries, curve);
        var sb = new StringBuilder(64 * 1024);
        Head(sb, summary);
        Header(sb, summary);
        Kpis(sb, summary);
        Notes(sb, summary, timeseries, data, notes);
        SummaryTables(sb, summary);
        Thresholds(sb, summary);
        Charts(sb, summary, data, curveNote);
        sb.Append("<footer>Kukai").Append(summary.KukaiVersion is null ? "" : " " + HtmlText.Escape(summary.KukaiVersion))
            .Append(". The results folder beside this page holds the data: <code>summary.json</code>, <code>timeseries.csv</code>, ")
            .Append("<code>latency.hgrm</code>, <code>requests.arrow</code>.</footer>\n");
        sb.Append("</main>\n<script type=\"application/json\" id=\"kukai-data\">")
            .Append(JsonSerializer.Serialize(data, DataJson).Replace("<", "\\u003C", StringComparison.Ordinal))
            .Append("</script>\n<script>").Append(ReportScript.Text).Append("</script>\n</body>\n</html>\n");
        return sb.ToString();
    }

    private static void Head(StringBuilder sb, TestSummary s)
    {
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'sha256-")
            .Append(ScriptHash)
            .Append("'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>Kukai report ").Append(HtmlText.Escape(s.TestId)).Append("</title>\n")
            .Append("<style>").Append(ReportStyles.Text).Append("</style>\n</head>\n<body>\n<main>\n");
    }

    private static void Header(StringBuilder sb, TestSummary s)
    {
        var verdictClass = s.Verdict is Verdict.Passed or Verdict.Failed or Verdict.Partial ? s.Verdict : "other";
        sb.Append("<header class=\"top\">\n<div class=\"brand\">Kukai load test report</div>\n")
            .Append("<h1 id=\"test-id\">").Append(HtmlText.Escape(s.TestId)).Append("</h1>\n<div class=\"badges\">")
            .Append("<span id=\"verdict\" class=\"badge verdict verdict-").Append(verdictClass).Append("\">")
            .Append(HtmlText.Escape(s.Verdict)).Append("</span>")
            .Append("<span id=\"state\" class=\"badge\">").Append(HtmlText.Escape(s.State)).Append("</span>")
            .Append("<span id=\"type\" class=\"badge\">").Append(s.Plan.Type.ToString().ToLowerInvariant()).Append("</span></div>\n");

        sb.Append("<dl class=\"meta\">\n");
        Meta(sb, "Started", Time(s.StartedAt), "started");
        Meta(sb, "Ended", Time(s.EndedAt), "ended");
        Meta(sb, "Duration", HtmlText.Escape(Duration(s.DurationSeconds)), "duration");
        Meta(sb, "Load", HtmlText.Escape(LoadLine(s.Plan)), "load");
        Meta(sb, s.Drivers.Count == 1 ? "Driver" : $"Drivers ({s.Drivers.Count})", Names(s.Drivers), "drivers");
        Meta(sb, "Lost drivers", LostLine(s), "lost");
        Meta(sb, s.Plan.Targets.Length == 1 ? "Target" : $"Targets ({s.Plan.Targets.Length})", TargetsLine(s.Plan), "targets");
        if (s.Reason is not null)
        {
            Meta(sb, "Reason", HtmlText.Escape(s.Reason), "reason");
        }

        if (s.RecordedRequests is { } recorded)
        {
            Meta(sb, "Recorded rows", Count(recorded) + " in <code>requests.arrow</code>", "recorded");
        }

        sb.Append("</dl>\n<details class=\"plan\"><summary>Plan</summary><pre id=\"plan\">")
            .Append(HtmlText.Escape(PlanJsonRedacted(s.Plan)))
            .Append("</pre></details>\n</header>\n");
    }

    private static void Meta(StringBuilder sb, string label, string html, string id) =>
        sb.Append("<div id=\"meta-").Append(id).Append("\"><dt>").Append(HtmlText.Escape(label)).Append("</dt><dd>")
            .Append(html).Append("</dd></div>\n");

    /// <summary>The names; beyond a handful, folded into a details element so the header stays short.</summary>
    private static string Names(IReadOnlyList<string> names)
    {
        if (names.Count == 0)
        {
            return "none";
        }

        var all = string.Join(", ", names.Select(n => "<span class=\"name\">" + HtmlText.Escape(n) + "</span>"));
        return names.Count <= 6
            ? all
            : "<details class=\"names\"><summary>" + HtmlText.Escape(names[0]) + ", " + HtmlText.Escape(names[1]) + " and "
                + (names.Count - 2) + " more</summary>" + all + "</details>";
    }

    private static string LostLine(TestSummary s)
    {
        if (s.LostDrivers.Count == 0)
        {
            return "none";
        }

        return string.Join(", ", s.LostDrivers.Select(id =>
        {
            var name = "<span class=\"name lost\">" + HtmlText.Escape(id) + "</span>";
            return s.LostAt is not null && s.LostAt.TryGetValue(id, out var at)
                ? $"{name} at {Time(at)} ({Num((at - s.StartedAt).TotalSeconds, "0.0")} s after the start)"
                : name;
        }));
    }

    private static string TargetsLine(LoadPlan plan) =>
        plan.Targets.Length == 0
            ? "none"
            : string.Join(", ", plan.Targets.Select(t =>
                "<span class=\"name\">" + HtmlText.Escape(t.Key) + "</span>"
                + (plan.Targets.Length > 1 ? " (weight " + Num(t.Weight) + ")" : "")));

    internal static string LoadLine(LoadPlan p)
    {
        var parts = new List<string> { p.Type.ToString().ToLowerInvariant() };
        if (p.Rps is { } rps)
        {
            parts.Add(Num(rps) + " rps per driver");
        }
        else if (p.DelayMs is { } delay)
        {
            parts.Add("a request every " + Num(delay) + " ms per driver");
        }

        if (p.Concurrency is { } c)
        {
            parts.Add("concurrency " + Count(c));
        }

        if (p.Requests is { } r)
        {
            parts.Add(Count(r) + " requests per driver");
        }

        if (p.DurationSeconds is { } d)
        {
            parts.Add(ShortDuration(d));
        }

        if (p.Stages.Length > 0)
        {
            parts.Add(p.Stages.Length + (p.Stages.Length == 1 ? " stage" : " stages"));
        }

        parts.Add("timeout " + Count(p.TimeoutMs) + " ms");
        return string.Join(" · ", parts);
    }

    /// <summary>The plan as pretty JSON, values of headers that look like credentials replaced.</summary>
    internal static string PlanJsonRedacted(LoadPlan plan)
    {
        var headers = plan.Headers.IsDefaultOrEmpty
            ? plan.Headers
            : [.. plan.Headers.Select(h => SensitiveHeaderParts.Any(part => h.Key.Contains(part, StringComparison.OrdinalIgnoreCase))
                ? new KeyValuePair<string, string>(h.Key, "(redacted)")
                : h)];
        return JsonSerializer.Serialize(plan with { Headers = headers }, ResultsJson.Options);
    }

    private static void Kpis(StringBuilder sb, TestSummary s)
    {
        var a = s.Aggregate;
        sb.Append("<section class=\"kpis\" aria-label=\"key figures\">\n");
        Kpi(sb, Count(a.Count), "requests");
        Kpi(sb, Percent(a.ErrorRate), "errors", a.Count > a.Ok ? "bad" : null);
        Kpi(sb, Num(a.Rps, "#,##0.#"), "requests/s");
        Kpi(sb, Ms(a.LatencyMs.Median), "median");
        Kpi(sb, Ms(a.LatencyMs.P99), "p99");
        Kpi(sb, Ms(a.LatencyMs.Max), "max");
        sb.Append("</section>\n");
    }

    private static void Kpi(StringBuilder sb, string value, string label, string? cls = null) =>
        sb.Append("<div class=\"kpi").Append(cls is null ? "" : " " + cls).Append("\"><div class=\"kpi-v\">").Append(HtmlText.Escape(value))
            .Append("</div><div class=\"kpi-l\">").Append(label).Append("</div></div>\n");

    private static void Notes(
        StringBuilder sb, TestSummary s, IReadOnlyList<TimeseriesRow> timeseries, ReportChartData data, IReadOnlyList<string> notes)
    {
        var items = new List<(string Html, bool Warn)>();
        items.AddRange(SummaryNotes.For(s).Select(n => (HtmlText.Escape(n), true)));
        if (data.Saturated.Length > 0)
        {
            items.Add((SaturationNote(s, data), true));
        }

        foreach (var id in s.LostDrivers)
        {
            items.Add(($"Driver <span class=\"name\">{HtmlText.Escape(id)}</span> was lost; its measurements up to the loss are included.", true));
        }

        if (data.Bucket > 1)
        {
            items.Add(($"This test is long: each point of the time charts covers {data.Bucket} s " +
                "(counts are averages per second, latency percentiles the worst second of the span).", false));
        }

        if (s.Timeline.Count == 0 && timeseries.Count > 0)
        {
            items.Add(("summary.json has no per-second timeline: the time charts are rebuilt from timeseries.csv" +
                (timeseries.Select(r => r.DriverId).Distinct(StringComparer.Ordinal).Count() > 1 ? " (latency over time needs a timeline with several drivers)." : "."), false));
        }

        items.AddRange(notes.Select(n => (HtmlText.Escape(n), false)));
        if (items.Count == 0)
        {
            return;
        }

        sb.Append("<section id=\"notes\" class=\"notes\">\n");
        foreach (var (html, warn) in items)
        {
            sb.Append("<p class=\"note").Append(warn ? " warn" : "").Append("\">").Append(html).Append("</p>\n");
        }

        sb.Append("</section>\n");
    }

    /// <summary>"… saturated in 4 seconds (20–22 s, 45 s) on edge-a, edge-b: process CPU up to 88 %, machine up to 98 %."</summary>
    private static string SaturationNote(TestSummary s, ReportChartData data)
    {
        var seconds = data.Saturated.Sum(r => (long)(r[1] - r[0]));
        var ranges = data.Saturated.Take(8).Select(r => r[1] - r[0] == 1 ? Num(r[0]) + " s" : Num(r[0]) + "–" + Num(r[1] - 1) + " s").ToList();
        if (data.Saturated.Length > 8)
        {
            ranges.Add($"{data.Saturated.Length - 8} more stretches");
        }

        var sb = new StringBuilder()
            .Append("The load generator was saturated in ").Append(Count(seconds)).Append(seconds == 1 ? " second" : " seconds")
            .Append(" (").Append(string.Join(", ", ranges)).Append(')');
        if (s.SaturatedSeconds.Count > 0)
        {
            var drivers = s.SaturatedSeconds.Select(x => x.DriverId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            sb.Append(" on ").Append(string.Join(", ", drivers.Take(8).Select(d => "<span class=\"name\">" + HtmlText.Escape(d) + "</span>")))
                .Append(drivers.Count > 8 ? $" and {drivers.Count - 8} more drivers" : "")
                .Append(": process CPU up to ").Append(Num(s.SaturatedSeconds.Max(x => x.ProcessCpuPercent), "0")).Append(" %, machine up to ")
                .Append(Num(s.SaturatedSeconds.Max(x => x.MachineCpuPercent), "0")).Append(" %");
        }

        return sb.Append(". Latencies measured there are suspect; those seconds are shaded on the time charts.").ToString();
    }

    private static void SummaryTables(StringBuilder sb, TestSummary s)
    {
        var rows = new List<StatsRow> { new("aggregate", "", s.Aggregate) };
        if (s.PerTarget.Count > 1)
        {
            rows.AddRange(s.PerTarget.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => new StatsRow("perTarget", t.Key, t.Value)));
        }

        if (s.PerDriver.Count > 1)
        {
            rows.AddRange(s.PerDriver.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => new StatsRow("perDriver", d.Key, d.Value)));
        }

        // Error kinds get a column when any row has some; the errors chart shows every kind.
        var kinds = s.Aggregate.Errors.Keys
            .Where(k => rows.Any(r => r.Stats.Errors.TryGetValue(k, out var n) && n > 0))
            .ToList();

        sb.Append("<section id=\"summary\">\n<h2>Summary</h2>\n");
        sb.Append("<h3>Requests</h3>\n<div class=\"scroll\"><table id=\"table-requests\" class=\"stats\">\n<thead><tr><th></th>")
            .Append("<th>requests</th><th>ok</th><th>errors</th>");
        foreach (var k in kinds)
        {
            sb.Append("<th class=\"kind\">").Append(HtmlText.Escape(k)).Append("</th>");
        }

        sb.Append("<th>error rate</th><th>requests/s</th><th>sent</th><th>late</th><th title=\"late because every connection was busy\">late, connections busy</th><th>dropped</th><th>bytes sent</th><th>bytes received</th></tr></thead>\n<tbody>\n");
        ForEachRow(sb, rows, s, kinds.Count + 12, st =>
        {
            Cell(sb, "count", st.Count, Count(st.Count));
            Cell(sb, "ok", st.Ok, Count(st.Ok));
            Cell(sb, "errors", st.Count - st.Ok, Count(st.Count - st.Ok), st.Count > st.Ok ? "bad" : null);
            foreach (var k in kinds)
            {
                var n = st.Errors.TryGetValue(k, out var v) ? v : 0;
                Cell(sb, "errors." + k, n, Count(n), n > 0 ? "bad" : null);
            }

            Cell(sb, "errorRate", st.ErrorRate, Percent(st.ErrorRate), st.ErrorRate > 0 ? "bad" : null);
            Cell(sb, "rps", st.Rps, Num(st.Rps));
            Cell(sb, "sent", st.Sent, Count(st.Sent));
            Cell(sb, "late", st.Late, Count(st.Late), st.Late > 0 ? "warn" : null);
            if (st.LateConnectionsBusy is { } busy)
            {
                Cell(sb, "lateConnectionsBusy", busy, Count(busy), busy > 0 ? "warn" : null);
            }
            else
            {
                Cell(sb, "lateConnectionsBusy", double.NaN, "–", title: "not recorded in these results");
            }
            Cell(sb, "dropped", st.Dropped, Count(st.Dropped), st.Dropped > 0 ? "warn" : null);
            Cell(sb, "bytesSent", st.BytesSent, Bytes(st.BytesSent), title: Count(st.BytesSent) + " bytes");
            Cell(sb, "bytesReceived", st.BytesReceived, Bytes(st.BytesReceived), title: Count(st.BytesReceived) + " bytes");
        });
        sb.Append("</tbody></table></div>\n");
        if (kinds.Count == 0)
        {
            sb.Append("<p class=\"small\">No errors of any kind.</p>\n");
        }

        LatencyTable(sb, s, rows, "table-latency", "latencyMs", "Latency (ms, from the intended start: includes waiting caused by a slow target)", st => st.LatencyMs);
        LatencyTable(sb, s, rows, "table-service", "serviceTimeMs", "Service time (ms, from the actual send)", st => st.ServiceTimeMs);
        sb.Append("</section>\n");
    }

    private static void LatencyTable(
        StringBuilder sb,
        TestSummary s,
        List<StatsRow> rows,
        string id,
        string field,
        string title,
        Func<StatsSummary, LatencySummary> pick)
    {
        sb.Append("<h3>").Append(HtmlText.Escape(title)).Append("</h3>\n<div class=\"scroll\"><table id=\"").Append(id)
            .Append("\" class=\"stats\">\n<thead><tr><th></th>");
        foreach (var (_, label) in LatencyColumns)
        {
            sb.Append("<th>").Append(label).Append("</th>");
        }

        sb.Append("</tr></thead>\n<tbody>\n");
        ForEachRow(sb, rows, s, LatencyColumns.Length + 1, st =>
        {
            var l = pick(st);
            double[] values = [l.Min, l.Mean, l.Stddev, l.Median, l.Mode, l.P90, l.P95, l.P99, l.P999, l.Max];
            for (var i = 0; i < values.Length; i++)
            {
                Cell(sb, field + "." + LatencyColumns[i].Field, values[i], Ms(values[i]));
            }
        });
        sb.Append("</tbody></table></div>\n");
    }

    private static void ForEachRow(
        StringBuilder sb,
        List<StatsRow> rows,
        TestSummary s,
        int columns,
        Action<StatsSummary> cells)
    {
        string? scope = null;
        foreach (var row in rows)
        {
            if (row.Scope != scope && row.Scope != "aggregate")
            {
                sb.Append("<tr class=\"group\"><th colspan=\"").Append(columns).Append("\">")
                    .Append(row.Scope == "perTarget" ? "Targets" : "Drivers").Append("</th></tr>\n");
            }

            scope = row.Scope;
            sb.Append("<tr data-scope=\"").Append(row.Scope).Append("\" data-name=\"").Append(HtmlText.Escape(row.Name))
                .Append("\"><th scope=\"row\" class=\"rowname\">").Append(row.Scope == "aggregate" ? "All" : HtmlText.Escape(row.Name));
            if (row.Scope == "perDriver" && s.LostDrivers.Contains(row.Name))
            {
                sb.Append(" <span class=\"tag lost\">lost</span>");
            }

            sb.Append("</th>");
            cells(row.Stats);
            sb.Append("</tr>\n");
        }
    }

    /// <summary>A number cell: <c>data-field</c> is its path in the stats object of summary.json, <c>data-v</c> the exact value.</summary>
    private static void Cell(StringBuilder sb, string field, double value, string text, string? cls = null, string? title = null)
    {
        sb.Append("<td data-field=\"").Append(HtmlText.Escape(field)).Append("\" data-v=\"").Append(Raw(value)).Append('"');
        if (cls is not null)
        {
            sb.Append(" class=\"").Append(cls).Append('"');
        }

        if (title is not null)
        {
            sb.Append(" title=\"").Append(HtmlText.Escape(title)).Append('"');
        }

        sb.Append('>').Append(HtmlText.Escape(text)).Append("</td>");
    }

    private static void Thresholds(StringBuilder sb, TestSummary s)
    {
        sb.Append("<section id=\"thresholds\">\n<h2>Thresholds</h2>\n");
        if (s.Thresholds.Count == 0)
        {
            sb.Append("<p class=\"small\">The plan sets no thresholds.</p>\n</section>\n");
            return;
        }

        sb.Append("<table id=\"table-thresholds\" class=\"thresholds\"><thead><tr><th>threshold</th><th>actual</th><th>result</th></tr></thead>\n<tbody>\n");
        foreach (var t in s.Thresholds)
        {
            sb.Append("<tr data-passed=\"").Append(t.Passed ? "true" : "false").Append("\"><td class=\"expr\">")
                .Append(HtmlText.Escape(t.Threshold)).Append("</td><td data-v=\"").Append(Raw(t.Actual)).Append("\">")
                .Append(HtmlText.Escape(Num(t.Actual))).Append("</td><td><span class=\"badge ")
                .Append(t.Passed ? "verdict-passed\">pass" : "verdict-failed\">fail").Append("</span></td></tr>\n");
        }

        sb.Append("</tbody></table>\n</section>\n");
    }

    private static void Charts(StringBuilder sb, TestSummary s, ReportChartData data, string? curveNote)
    {
        var severalDrivers = data.Drivers.Length > 1;
        sb.Append("<section id=\"charts\">\n<h2>Charts</h2>\n")
            .Append("<noscript><p class=\"note warn\">The charts are drawn by JavaScript, which is off.</p></noscript>\n")
            .Append("<div class=\"charts\">\n");
        var manyDrivers = s.Drivers.Count > HtmlReport.MaxDriverLines;
        Figure(sb, "throughput", true, "Throughput", severalDrivers
            ? "requests completed per second, in total and per driver; sent and errors per second"
            : manyDrivers
                ? $"requests completed, sent and failed per second, in total (per-driver lines are drawn for up to {HtmlReport.MaxDriverLines} drivers)"
                : "requests completed, sent and failed per second", logToggle: false);
        Figure(sb, "latency", true, "Latency over time", "p50, p90, p99 and max of each second, ms", logToggle: true);
        if (data.Curve is null)
        {
            sb.Append("<figure class=\"chart\" data-chart-missing=\"curve\"><figcaption><span class=\"title\">Percentile distribution</span></figcaption>")
                .Append("<p class=\"note\">").Append(HtmlText.Escape(curveNote ?? (s.Aggregate.Count == 0
                    ? "No latencies were recorded, so there is no percentile curve."
                    : "No percentile distribution was given, so there is no percentile curve.")))
                .Append("</p></figure>\n");
        }
        else
        {
            Figure(sb, "curve", false, "Percentile distribution", "latency by percentile (log scale of 1/(1−p)), ms", logToggle: true);
        }

        Figure(sb, "errors", false, "Errors by kind", "failed requests over the whole test", logToggle: false);
        Figure(sb, "late", true, "Late and dropped", "requests sent more than 1 ms behind schedule (dashed: those that waited for a busy connection), and never sent, per second", logToggle: false);
        sb.Append("</div>\n</section>\n");
    }

    private static void Figure(StringBuilder sb, string kind, bool wide, string title, string subtitle, bool logToggle)
    {
        sb.Append("<figure class=\"chart").Append(wide ? " wide" : "").Append("\" data-chart=\"").Append(kind).Append("\">")
            .Append("<figcaption><span class=\"title\">").Append(HtmlText.Escape(title)).Append("</span> <span class=\"sub\">")
            .Append(HtmlText.Escape(subtitle)).Append("</span>");
        if (logToggle)
        {
            sb.Append("<label class=\"logt\"><input type=\"checkbox\"> log scale</label>");
        }

        sb.Append("</figcaption><div class=\"plot\"><canvas></canvas><div class=\"cross\" hidden></div><div class=\"tip\" hidden></div></div>")
            .Append("<div class=\"legend\"></div></figure>\n");
    }

    /// <summary>A row of the summary tables: <c>aggregate</c>, or a target or driver by name.</summary>
    private sealed record StatsRow(string Scope, string Name, StatsSummary Stats);

    private static string Raw(double v) => double.IsFinite(v) ? v.ToString("R", Ic) : "";

    private static string Count(long v) => v.ToString("N0", Ic);

    private static string Num(double v, string format = "#,##0.###") => double.IsFinite(v) ? v.ToString(format, Ic) : "–";

    private static string Ms(double v) => Num(v);

    private static string Percent(double fraction) =>
        fraction == 0 ? "0 %" : fraction < 0.0001 ? "< 0.01 %" : Num(fraction * 100, "0.##") + " %";

    internal static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double v = bytes;
        var u = 0;
        while (Math.Abs(v) >= 1024 && u < units.Length - 1)
        {
            v /= 1024;
            u++;
        }

        return u == 0 ? Count(bytes) + " B" : Num(v, "0.00") + " " + units[u];
    }

    internal static string Duration(double seconds)
    {
        if (!double.IsFinite(seconds) || seconds < 60)
        {
            return Num(seconds) + " s";
        }

        var t = TimeSpan.FromSeconds(Math.Round(seconds));
        var hms = t.TotalHours >= 1
            ? $"{(int)t.TotalHours} h {t.Minutes} min {t.Seconds} s"
            : $"{t.Minutes} min {t.Seconds} s";
        return $"{hms} ({Num(seconds, "#,##0.0")} s)";
    }

    /// <summary>"45 s", "1m30s", "2h".</summary>
    internal static string ShortDuration(double seconds)
    {
        if (!double.IsFinite(seconds) || seconds < 60)
        {
            return Num(seconds) + " s";
        }

        var t = TimeSpan.FromSeconds(Math.Round(seconds));
        var text = (t.TotalHours >= 1 ? $"{(int)t.TotalHours}h" : "") + (t.Minutes > 0 ? $"{t.Minutes}m" : "") + (t.Seconds > 0 ? $"{t.Seconds}s" : "");
        return text;
    }

    private static string Time(DateTimeOffset t) =>
        "<time datetime=\"" + t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", Ic) + "\">"
        + t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", Ic) + " UTC</time>";
}
