using System.Globalization;
using Kukai.Engine.Metrics;
using Kukai.Results;
using Spectre.Console;

namespace Kukai.Cli.Presentation;

/// <summary>The end-of-test summary: one column per scope (all, each target when several), thresholds, verdict.</summary>
public static class SummaryView
{
    public static void Print(IAnsiConsole console, TestSummary summary, string resultsPath)
    {
        var ic = CultureInfo.InvariantCulture;
        var scopes = new List<(string Name, StatsSummary Stats)> { ("all", summary.Aggregate) };
        if (summary.PerTarget.Count > 1)
        {
            scopes.AddRange(summary.PerTarget.Select(kv => (kv.Key, kv.Value)));
        }

        if (summary.PerDriver.Count > 1)
        {
            scopes.AddRange(summary.PerDriver.Select(kv => ($"driver {kv.Key}", kv.Value)));
        }

        var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{Markup.Escape(summary.TestId)}[/]  {summary.Plan.Type.ToString().ToLowerInvariant()}  {summary.DurationSeconds.ToString("0.00", ic)} s");
        table.AddColumn("");
        foreach (var (name, _) in scopes)
        {
            table.AddColumn(new TableColumn(Markup.Escape(name)).RightAligned());
        }

        void Row(string label, Func<StatsSummary, string> value) =>
            table.AddRow([new Markup(label), .. scopes.Select(s => new Markup(Markup.Escape(value(s.Stats))))]);

        Row("requests", s => s.Count.ToString("N0", ic));
        Row("ok", s => s.Ok.ToString("N0", ic));
        Row("errors", s => ErrorsText(s, ic));
        Row("rps", s => s.Rps.ToString("N1", ic));
        Row("latency min", s => Ms(s.LatencyMs.Min));
        Row("latency mean ± sd", s => $"{Ms(s.LatencyMs.Mean)} ± {s.LatencyMs.Stddev.ToString("0.###", ic)}");
        Row("latency median", s => Ms(s.LatencyMs.Median));
        Row("latency mode", s => Ms(s.LatencyMs.Mode));
        Row("latency p90", s => Ms(s.LatencyMs.P90));
        Row("latency p95", s => Ms(s.LatencyMs.P95));
        Row("latency p99", s => Ms(s.LatencyMs.P99));
        Row("latency p99.9", s => Ms(s.LatencyMs.P999));
        Row("latency max", s => Ms(s.LatencyMs.Max));
        Row("service time p50 / p99", s => $"{Ms(s.ServiceTimeMs.Median)} / {Ms(s.ServiceTimeMs.P99)}");
        Row("late / dropped", s => $"{s.Late.ToString("N0", ic)} / {s.Dropped.ToString("N0", ic)}");
        if (scopes.Any(s => s.Stats.Late > 0))
        {
            Row("late: connections busy / generator behind", s => s.LateConnectionsBusy is { } busy
                ? $"{busy.ToString("N0", ic)} / {(s.Late - busy).ToString("N0", ic)}"
                : "not recorded");
        }

        Row("bytes sent / received", s => $"{Bytes(s.BytesSent)} / {Bytes(s.BytesReceived)}");
        console.Write(table);

        foreach (var t in summary.Thresholds)
        {
            console.MarkupLine(t.Passed
                ? $"  [green]✓[/] {Markup.Escape(t.Threshold)}  [grey](actual {t.Actual.ToString("0.###", ic)})[/]"
                : $"  [red]✗ {Markup.Escape(t.Threshold)}[/]  [grey](actual {t.Actual.ToString("0.###", ic)})[/]");
        }

        foreach (var line in SummaryNotes.For(summary))
        {
            console.MarkupLine($"  [yellow]![/] {Markup.Escape(line)}");
        }

        if (summary.SaturatedSeconds.Count > 0)
        {
            // One entry per driver and second: the seconds are what the reader counts.
            var seconds = summary.SaturatedSeconds.Select(x => x.Second).Distinct().Count();
            var drivers = summary.SaturatedSeconds.Select(x => x.DriverId).Distinct(StringComparer.Ordinal).Count();
            var on = drivers > 1 ? $" on {drivers} drivers" : string.Empty;
            console.MarkupLine($"  [yellow]![/] the load generator was saturated in {seconds} second{(seconds == 1 ? "" : "s")}{on}: latencies there are suspect");
        }

        var color = summary.Verdict switch { Verdict.Passed => "green", Verdict.Partial => "yellow", _ => "red" };
        var ending = summary.State == TestSummaryBuilder.Completed
            ? string.Empty
            : $"  [yellow]{Markup.Escape(summary.State)}{(summary.Reason is { } reason ? Markup.Escape(": " + reason) : string.Empty)}[/]";
        console.MarkupLine($"verdict: [{color} bold]{summary.Verdict}[/]{ending}");
        console.MarkupLine($"results: {Markup.Escape(resultsPath)}");
    }

    private static string ErrorsText(StatsSummary s, CultureInfo ic)
    {
        var total = s.Count - s.Ok;
        if (total == 0)
        {
            return "0";
        }

        var kinds = s.Errors.Where(kv => kv.Value > 0).Select(kv => $"{kv.Key} {kv.Value.ToString("N0", ic)}");
        return $"{total.ToString("N0", ic)} ({string.Join(", ", kinds)})";
    }

    private static string Ms(double ms) => ms.ToString("0.###", CultureInfo.InvariantCulture) + " ms";

    private static string Bytes(long b) => b switch
    {
        >= 1L << 30 => (b / (double)(1L << 30)).ToString("0.##", CultureInfo.InvariantCulture) + " GiB",
        >= 1L << 20 => (b / (double)(1L << 20)).ToString("0.##", CultureInfo.InvariantCulture) + " MiB",
        >= 1L << 10 => (b / (double)(1L << 10)).ToString("0.##", CultureInfo.InvariantCulture) + " KiB",
        _ => b.ToString(CultureInfo.InvariantCulture) + " B",
    };
}
