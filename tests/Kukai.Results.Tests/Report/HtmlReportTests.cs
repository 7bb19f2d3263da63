using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kukai.Engine.Metrics;
using Kukai.Results.Arrow;
using Kukai.Results.Report;
using Kukai.TestSupport;

namespace Kukai.Results.Tests.Report;

public sealed partial class HtmlReportTests
{
    [Fact]
    public void Render_Realistic_HasEverySection()
    {
        var html = ReportSamples.Realistic().Render();

        foreach (var id in new[]
        {
            "test-id", "verdict", "state", "type", "meta-started", "meta-ended", "meta-duration", "meta-load", "meta-drivers", "meta-lost",
            "meta-targets", "plan", "notes", "summary", "table-requests", "table-latency", "table-service", "thresholds", "table-thresholds", "charts",
        })
        {
            Assert.Contains($"id=\"{id}\"", html, StringComparison.Ordinal);
        }

        foreach (var chart in new[] { "throughput", "latency", "curve", "errors", "late" })
        {
            Assert.Contains($"data-chart=\"{chart}\"", html, StringComparison.Ordinal);
        }

        Assert.Contains("<details class=\"plan\">", html, StringComparison.Ordinal);
        Assert.Contains("verdict-failed", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Realistic_RowsForAggregateEachTargetAndEachDriver()
    {
        var sample = ReportSamples.Realistic();
        var html = sample.Render();

        Assert.Equal(3, Regex.Matches(html, "<tr data-scope=\"aggregate\"").Count);
        foreach (var target in sample.Summary.PerTarget.Keys)
        {
            Assert.Equal(3, Regex.Matches(html, Regex.Escape($"<tr data-scope=\"perTarget\" data-name=\"{target}\"")).Count);
        }

        foreach (var driver in sample.Summary.PerDriver.Keys)
        {
            Assert.Equal(3, Regex.Matches(html, Regex.Escape($"<tr data-scope=\"perDriver\" data-name=\"{driver}\"")).Count);
        }

        Assert.Contains("edge-c <span class=\"tag lost\">lost</span>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_OneDriverOneTarget_OnlyTheAggregateRow()
    {
        var html = ReportSamples.Simulate("one", new ReportSamples.Simulation()).Render();

        Assert.DoesNotContain("data-scope=\"perDriver\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-scope=\"perTarget\"", html, StringComparison.Ordinal);
        Assert.Equal(3, Regex.Matches(html, "<tr data-scope=\"aggregate\"").Count);
    }

    [Fact]
    public void Render_HostileStrings_AreEscapedEverywhere()
    {
        var html = ReportSamples.Hostile().Render();

        foreach (var raw in new[]
        {
            ReportSamples.HostileUrl, ReportSamples.HostileDriver, ReportSamples.HostileTestId, ReportSamples.HostileThreshold,
            "<script>window.__xss", "<img", "<b onmouseover", "<b>bold</b>",
        })
        {
            Assert.DoesNotContain(raw, html, StringComparison.Ordinal);
        }

        Assert.Contains("&lt;script&gt;window.__xss=1&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("&quot;&gt;&lt;img src=x onerror=&quot;window.__xss=3&quot;&gt;", html, StringComparison.Ordinal);
        Assert.Contains("&lt;/script&gt;&lt;script&gt;window.__xss=4&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;bold&lt;/b&gt; reason &amp; more", html, StringComparison.Ordinal);
        Assert.Contains(ReportSamples.UnicodeDriver, html, StringComparison.Ordinal);

        // Exactly two script elements (the data and the code), and nothing else looks like markup the attacker chose.
        Assert.Equal(2, Regex.Matches(html, "<script").Count);
        Assert.Equal(2, Regex.Matches(html, "</script>").Count);
    }

    [Fact]
    public void Render_HostileErrorKind_EscapedInHeadingAndAttribute()
    {
        var sample = ReportSamples.ErrorsOnlyOneSecond();
        var errors = new Dictionary<string, long>(sample.Summary.Aggregate.Errors) { ["\"><svg onload=alert(1)>"] = 1 };
        var summary = sample.Summary with { Aggregate = sample.Summary.Aggregate with { Errors = errors } };

        var html = HtmlReport.Render(summary, sample.Timeseries, sample.Curve);

        Assert.DoesNotContain("<svg", html, StringComparison.Ordinal);
        Assert.Contains("data-field=\"errors.&quot;&gt;&lt;svg onload=alert(1)&gt;\"", html, StringComparison.Ordinal);
        Assert.Contains("<th class=\"kind\">&quot;&gt;&lt;svg onload=alert(1)&gt;</th>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_HostileStrings_JsonBlobCannotLeaveItsScriptElement()
    {
        var sample = ReportSamples.Hostile();
        var html = sample.Render();

        var blob = DataBlob(html);

        Assert.DoesNotContain('<', blob);
        Assert.DoesNotContain('>', blob);
        using var doc = JsonDocument.Parse(blob);
        var drivers = doc.RootElement.GetProperty("drivers").EnumerateArray().Select(d => d.GetProperty("id").GetString()).ToList();
        Assert.Equal([ReportSamples.HostileDriver, ReportSamples.UnicodeDriver], drivers.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Render_ContentSecurityPolicy_AllowsOnlyTheReportScriptAndNoNetwork()
    {
        var html = ReportSamples.Realistic().Render();

        var csp = CspRegex().Match(html);
        Assert.True(csp.Success, "no Content-Security-Policy meta element");
        var policy = csp.Groups[1].Value;
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("http", policy, StringComparison.Ordinal);
        var script = Regex.Match(html, "<script>(.*?)</script>", RegexOptions.Singleline).Groups[1].Value;
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script)));
        Assert.Contains($"script-src 'sha256-{hash}'", policy, StringComparison.Ordinal);
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", html);
    }

    [Fact]
    public void Render_SensitiveHeaders_AreRedacted()
    {
        var html = ReportSamples.Realistic().Render();

        Assert.DoesNotContain("s3cret-token", html, StringComparison.Ordinal);
        Assert.Contains("&quot;Authorization&quot;: &quot;(redacted)&quot;", html, StringComparison.Ordinal);
        Assert.Contains("&quot;Accept&quot;: &quot;text/plain&quot;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ZeroRequests_NotesItAndDrawsNoCurve()
    {
        var html = ReportSamples.ZeroRequests().Render();

        Assert.Contains("No request completed in this test.", html, StringComparison.Ordinal);
        Assert.Contains("data-chart-missing=\"curve\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-chart=\"curve\"", html, StringComparison.Ordinal);
        Assert.Contains("No latencies were recorded", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_LateRequests_NotesEachCauseAndCountsThoseThatWaitedForAConnection()
    {
        // Late requests of saturated seconds left with a connection free; the others waited for one (ReportSamples).
        var sample = ReportSamples.Simulate("late", new ReportSamples.Simulation { SaturatedSeconds = [4, 5] });
        var a = sample.Summary.Aggregate;
        var busy = a.LateConnectionsBusy!.Value;
        Assert.True(busy > 0 && a.Late > busy, $"late {a.Late}, connections busy {busy}");

        var html = sample.Render();

        var ic = CultureInfo.InvariantCulture;
        Assert.Contains($"{busy.ToString("N0", ic)} request(s) left late because every connection was busy", html, StringComparison.Ordinal);
        Assert.Contains($"{(a.Late - busy).ToString("N0", ic)} request(s) left late with a connection free", html, StringComparison.Ordinal);
        Assert.Contains($"data-field=\"lateConnectionsBusy\" data-v=\"{busy}\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SummaryFromBeforeTheLateSplit_NoCauseClaimedAndTheCellSaysNotRecorded()
    {
        // summary.json written before lateConnectionsBusy existed: its late requests must not be blamed on the generator.
        var sample = ReportSamples.Simulate("late", new ReportSamples.Simulation { SaturatedSeconds = [4, 5] });
        var json = JsonNode.Parse(JsonSerializer.Serialize(sample.Summary, ResultsJson.Options))!;
        foreach (var stats in new[] { json["aggregate"]! }.Concat(json["perDriver"]!.AsObject().Select(p => p.Value!)).Concat(json["perTarget"]!.AsObject().Select(p => p.Value!)))
        {
            Assert.True(stats.AsObject().Remove("lateConnectionsBusy"));
        }

        var old = json.Deserialize<TestSummary>(ResultsJson.Options)!;
        Assert.True(old.Aggregate.Late > 0);
        Assert.Null(old.Aggregate.LateConnectionsBusy);

        var html = (sample with { Summary = old }).Render();

        Assert.DoesNotContain("left late", html, StringComparison.Ordinal);
        Assert.Contains("data-field=\"lateConnectionsBusy\" data-v=\"\" title=\"not recorded in these results\">–</td>", html, StringComparison.Ordinal);
        Assert.Empty(SummaryNotes.For(old));
    }

    [Fact]
    public void Render_ErrorsOnly_ShowsEachKindThatOccurred()
    {
        var sample = ReportSamples.ErrorsOnlyOneSecond();
        var html = sample.Render();

        Assert.Contains("Every request failed", html, StringComparison.Ordinal);
        var occurred = sample.Summary.Aggregate.Errors.Where(e => e.Value > 0).Select(e => e.Key).ToList();
        Assert.Equal(4, occurred.Count);
        foreach (var kind in sample.Summary.Aggregate.Errors.Keys)
        {
            Assert.Equal(occurred.Contains(kind), html.Contains($"data-field=\"errors.{kind}\"", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Render_OneHourEightDrivers_StaysSmallAndSecondBySecond()
    {
        var sample = ReportSamples.Long("one-hour", 3600, 8);

        var html = sample.Render();

        var bytes = Encoding.UTF8.GetByteCount(html);
        Assert.True(bytes < 1_500_000, $"report.html is {bytes:N0} bytes");
        using var doc = JsonDocument.Parse(DataBlob(html));
        Assert.Equal(1, doc.RootElement.GetProperty("bucket").GetInt32());
        Assert.Equal(3600, doc.RootElement.GetProperty("x").GetArrayLength());
        Assert.Equal(8, doc.RootElement.GetProperty("drivers").GetArrayLength());
    }

    [Fact]
    public void Render_ThreeHours_DrawnInBucketsWithANote()
    {
        var sample = ReportSamples.Long("three-hours", 3 * 3600, 2);

        var html = sample.Render();

        using var doc = JsonDocument.Parse(DataBlob(html));
        Assert.Equal(3, doc.RootElement.GetProperty("bucket").GetInt32());
        Assert.Equal(3600, doc.RootElement.GetProperty("x").GetArrayLength());
        Assert.Contains("each point of the time charts covers 3 s", html, StringComparison.Ordinal);
        Assert.True(Encoding.UTF8.GetByteCount(html) < 1_000_000);
    }

    [Fact]
    public void Build_Buckets_CountsAreAveragesAndPercentilesTheWorstSecond()
    {
        var timeline = Enumerable.Range(0, ReportChartBuilder.MaxTimePoints + 2)
            .Select(s => new SecondSummary(s, 10 + s, 10 + s, s % 2, 10 + s, s, s + 1, s + 2, s + 3, 1, 1, 0, s == 4 ? 1 : 0))
            .ToList();
        var summary = ReportSamples.Simulate("x", new ReportSamples.Simulation { Seconds = 1 }).Summary with { Timeline = timeline, SaturatedSeconds = [] };

        var data = ReportChartBuilder.Build(summary, [], []);

        // 3602 seconds in buckets of 2: 1801 points; the last bucket is full.
        Assert.Equal(2, data.Bucket);
        Assert.Equal(1801, data.X.Length);
        Assert.Equal([0L, 2, 4], data.X[..3]);
        Assert.Equal(10.5, data.Completed[0]);
        Assert.Equal(0.5, data.Errors[0]);
        Assert.Equal(1, data.P50[0]);
        Assert.Equal(4, data.Max[0]);
        Assert.Equal([[4.0, 5.0]], data.Saturated);
    }

    [Fact]
    public void Build_GapInTimeline_IsNull()
    {
        var timeline = new[] { 0, 1, 3 }.Select(s => new SecondSummary(s, 5, 5, 0, 5, 1, 2, 3, 4, 0, 0, 0, 0)).ToList();
        var summary = ReportSamples.Simulate("x", new ReportSamples.Simulation { Seconds = 1 }).Summary with { Timeline = timeline };

        var data = ReportChartBuilder.Build(summary, [], []);

        Assert.Equal([0L, 1, 2, 3], data.X);
        Assert.Equal(new double?[] { 5, 5, null, 5 }, data.Completed);
        Assert.Equal(new double?[] { 1, 1, null, 1 }, data.P50);
    }

    [Fact]
    public void Build_SeveralDrivers_PerDriverSeriesAlignedOnTheTimeline()
    {
        var sample = ReportSamples.Realistic();

        var data = ReportChartBuilder.Build(sample.Summary, sample.Timeseries, sample.Curve);

        Assert.Equal(["edge-a", "edge-b", "edge-c"], data.Drivers.Select(d => d.Id));
        Assert.All(data.Drivers, d => Assert.Equal(data.X.Length, d.Completed.Length));
        var lost = data.Drivers[2].Completed;
        Assert.All(lost[..60], v => Assert.Equal(60, v));
        Assert.All(lost[60..], v => Assert.Null(v));
        Assert.Equal([new ReportChartData.LostMarker("edge-c", 65)], data.Lost);
        Assert.Equal([[20.0, 23.0], [45.0, 46.0]], data.Saturated);
    }

    [Fact]
    public void Build_MoreDriversThanLines_TotalsOnlyAndTheCaptionSaysSo()
    {
        var sample = ReportSamples.Long("crowd", seconds: 10, drivers: HtmlReport.MaxDriverLines + 1);

        var data = ReportChartBuilder.Build(sample.Summary, sample.Timeseries, sample.Curve);
        var html = HtmlReport.Render(sample.Summary, sample.Timeseries, sample.Curve);

        Assert.Empty(data.Drivers);
        Assert.Equal(10, data.Completed.Length);
        Assert.Contains($"per-driver lines are drawn for up to {HtmlReport.MaxDriverLines} drivers", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_SecondWithNothingCompleted_GapInTheLatencies()
    {
        var sample = ReportSamples.Simulate("drain", new ReportSamples.Simulation { Seconds = 4 });
        List<SecondSummary> timeline = [.. sample.Summary.Timeline];
        timeline[^1] = timeline[^1] with { Completed = 0, P50Ms = 0, P90Ms = 0, P99Ms = 0, MaxMs = 0 };

        var data = ReportChartBuilder.Build(sample.Summary with { Timeline = timeline }, sample.Timeseries, []);

        Assert.Equal(timeline.Count, data.P99.Length);
        Assert.Null(data.P50[^1]);
        Assert.Null(data.P99[^1]);
        Assert.All(data.P99[..^1], v => Assert.NotNull(v));
    }

    [Fact]
    public void Build_NoTimelineOneDriver_RebuiltFromTimeseries()
    {
        var sample = ReportSamples.Simulate("old", new ReportSamples.Simulation { Seconds = 4 });
        var summary = sample.Summary with { Timeline = [] };

        var data = ReportChartBuilder.Build(summary, sample.Timeseries, []);

        Assert.Equal(sample.Timeseries.Select(r => (double?)r.Completed), data.Completed);
        Assert.Equal(sample.Timeseries.Select(r => (double?)r.P99Ms), data.P99);
        Assert.All(data.Late, v => Assert.Null(v));
    }

    [Fact]
    public void WriteFromFolder_AllFiles_WritesTheSameReportAsRender()
    {
        using var dir = new TempDirectory();
        var sample = WithoutRecordedRequests(ReportSamples.Realistic());
        var folder = sample.WriteFolder(dir.Path);

        HtmlReport.WriteFromFolder(folder);

        var written = File.ReadAllText(folder.FilePath(ResultsFolder.ReportFile));
        var expected = HtmlReport.Render(folder.ReadSummary(), TimeseriesCsv.Read(folder.FilePath(ResultsFolder.TimeseriesFile)), sample.Curve);
        Assert.Equal(expected, written);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public void WriteFromFolder_NoHgrmNoTimeseries_ReportWithNotes()
    {
        using var dir = new TempDirectory();
        var folder = (WithoutRecordedRequests(ReportSamples.Realistic()) with { Hgrm = null }).WriteFolder(dir.Path, timeseries: false);

        var notes = HtmlReport.WriteFromFolder(folder);

        Assert.Equal(["timeseries.csv is missing: no per-driver throughput.", "latency.hgrm is missing: no percentile curve."], notes);
        var html = File.ReadAllText(folder.FilePath(ResultsFolder.ReportFile));
        Assert.Contains("latency.hgrm is missing: no percentile curve.", html, StringComparison.Ordinal);
        Assert.Contains("timeseries.csv is missing: no per-driver throughput.", html, StringComparison.Ordinal);
        Assert.Contains("data-chart-missing=\"curve\"", html, StringComparison.Ordinal);
        Assert.Contains("data-chart=\"throughput\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3, 3, null)]
    [InlineData(5, 3, "requests.arrow holds 3 rows; the summary counts 5 recorded requests.")]
    [InlineData(5, -1, "requests.arrow is missing: the summary counts 5 recorded requests that this folder does not hold.")]
    [InlineData(5, -2, "requests.arrow could not be read (")]
    public void WriteFromFolder_RecordedRequests_RowsCheckedAgainstTheSummary(long recorded, int rows, string? note)
    {
        using var dir = new TempDirectory();
        var sample = ReportSamples.Realistic();
        var folder = (sample with { Summary = sample.Summary with { RecordedRequests = recorded } }).WriteFolder(dir.Path);
        var requests = folder.FilePath(ResultsFolder.RequestsFile);
        if (rows == -2)
        {
            File.WriteAllBytes(requests, new byte[5000]);
        }
        else if (rows >= 0)
        {
            using var writer = new RequestRowWriter(File.Create(requests));
            for (var i = 0; i < rows; i++)
            {
                writer.Append(new RequestRow(i, "d1", "t", 100, 200, true, null, 10, 10));
            }

            writer.Complete();
        }

        var notes = HtmlReport.WriteFromFolder(folder);

        if (note is null)
        {
            Assert.DoesNotContain(notes, n => n.Contains(ResultsFolder.RequestsFile, StringComparison.Ordinal));
        }
        else
        {
            Assert.Contains(notes, n => n.StartsWith(note, StringComparison.Ordinal));
            Assert.Contains(note, File.ReadAllText(folder.FilePath(ResultsFolder.ReportFile)), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void WriteFromFolder_MalformedHgrm_NoteNamesTheLine()
    {
        using var dir = new TempDirectory();
        var folder = (ReportSamples.Realistic() with { Hgrm = "Value Percentile TotalCount 1/(1-Percentile)\n\n 1.0 0.5 3 2\n broken\n" }).WriteFolder(dir.Path);

        HtmlReport.WriteFromFolder(folder);

        var html = File.ReadAllText(folder.FilePath(ResultsFolder.ReportFile));
        Assert.Contains("latency.hgrm could not be read (" + folder.FilePath(ResultsFolder.HgrmFile) + ":4: expected 3 or 4 columns", html, StringComparison.Ordinal);
        Assert.Contains("data-chart-missing=\"curve\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteFromFolder_NoSummary_ThrowsNamingTheFile()
    {
        using var dir = new TempDirectory();

        var ex = Assert.Throws<FileNotFoundException>(() => HtmlReport.WriteFromFolder(new ResultsFolder(dir.Path)));

        Assert.Contains("summary.json", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dir.Path, ResultsFolder.ReportFile)));
    }

    [Fact]
    public void Write_ReplacesAnOlderReport()
    {
        using var dir = new TempDirectory();
        var sample = ReportSamples.ErrorsOnlyOneSecond();
        var folder = new ResultsFolder(dir.Path);
        File.WriteAllText(folder.FilePath(ResultsFolder.ReportFile), "old");

        HtmlReport.Write(folder, sample.Summary, sample.Timeseries, sample.Curve);

        Assert.Equal(sample.Render(), File.ReadAllText(folder.FilePath(ResultsFolder.ReportFile)));
    }

    internal static string DataBlob(string html)
    {
        var m = DataRegex().Match(html);
        Assert.True(m.Success, "no kukai-data script element");
        return m.Groups[1].Value;
    }

    [GeneratedRegex("<script type=\"application/json\" id=\"kukai-data\">(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex DataRegex();

    [GeneratedRegex("<meta http-equiv=\"Content-Security-Policy\" content=\"([^\"]*)\">")]
    private static partial Regex CspRegex();

    // A test that kept no per-request rows: its folder has no requests.arrow to check.
    private static ReportSample WithoutRecordedRequests(ReportSample sample) => sample with { Summary = sample.Summary with { RecordedRequests = null } };
}
