using System.Globalization;
using System.Text.Json;
using Kukai.Results.Report;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Kukai.Results.Tests.Report;

/// <summary>
/// Opens generated reports in a real headless Chromium from <c>file://</c>: no script or console error, no request at
/// all, every chart drew its points, the tables show summary.json's values, hostile strings stay text. Each case leaves
/// its report and a full-page screenshot under <see cref="ArtifactsDirectory"/> (printed in the test output).
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class ReportBrowserTests(ChromiumFixture chromium, ITestOutputHelper output)
{
    /// <summary>
    /// Where reports and screenshots stay after the run: <c>KUKAI_TEST_ARTIFACTS</c> when set, else <c>TestResults/</c> in the
    /// test project's folder (where <c>dotnet test</c> puts its results, ignored by git).
    /// </summary>
    public static string ArtifactsDirectory { get; } = FindArtifactsDirectory();

    public static TheoryData<string> Cases => new()
    {
        "realistic", "zero-requests", "errors-only-1s", "hostile-and-unicode", "two-hours-8-drivers", "many-drivers", "no-hgrm-from-folder",
        "no-timeline",
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Report_OpenedInChromium_DrawsEveryChartAndShowsSummaryValues(string name)
    {
        var sample = Sample(name);
        var folder = WriteReport(sample, name);
        await using var session = await OpenAsync(folder, name, width: 1280);

        Assert.Empty(session.Errors);
        Assert.Equal([session.Url], session.Requests);

        // Header and thresholds read back as the summary says (hostile ids included, as text).
        var summary = sample.Summary;
        Assert.Equal(summary.TestId, await session.Page.InnerTextAsync("#test-id"));
        Assert.Equal(summary.Verdict, (await session.Page.TextContentAsync("#verdict"))?.Trim());
        Assert.Equal(summary.State, (await session.Page.TextContentAsync("#state"))?.Trim());
        var thresholds = await session.EvalAsync("""
            () => [...document.querySelectorAll('#table-thresholds tbody tr')].map(tr => ({
              text: tr.querySelector('td.expr').textContent, passed: tr.dataset.passed === 'true', actual: tr.children[1].dataset.v }))
            """);
        Assert.Equal(summary.Thresholds.Count, thresholds.GetArrayLength());
        for (var i = 0; i < summary.Thresholds.Count; i++)
        {
            var t = thresholds[i];
            Assert.Equal(summary.Thresholds[i].Threshold, t.GetProperty("text").GetString());
            Assert.Equal(summary.Thresholds[i].Passed, t.GetProperty("passed").GetBoolean());
            Assert.Equal(summary.Thresholds[i].Actual, double.Parse(t.GetProperty("actual").GetString()!, CultureInfo.InvariantCulture));
        }

        await AssertChartsDrewAsync(session, sample, folder);
        await AssertTablesMatchSummaryJsonAsync(session, folder, sample);

        var xss = await session.EvalAsync("() => ({ xss: typeof window.__xss, images: document.images.length, scripts: document.scripts.length })");
        Assert.Equal("undefined", xss.GetProperty("xss").GetString());
        Assert.Equal(0, xss.GetProperty("images").GetInt32());
        Assert.Equal(2, xss.GetProperty("scripts").GetInt32());

        await session.ScreenshotAsync(output);
    }

    [Fact]
    public async Task Report_HoverOverThroughputChart_ShowsTooltipForThatSecond()
    {
        var folder = WriteReport(ReportSamples.Realistic(), "realistic-hover");
        await using var session = await OpenAsync(folder, "realistic-hover", width: 1280);
        var canvas = session.Page.Locator("figure[data-chart='throughput'] canvas");
        var box = (await canvas.BoundingBoxAsync())!;

        await canvas.HoverAsync(new LocatorHoverOptions { Position = new Position { X = box.Width / 2, Y = box.Height / 2 } });

        var tip = session.Page.Locator("figure[data-chart='throughput'] .tip");
        Assert.True(await tip.IsVisibleAsync());
        var text = await tip.InnerTextAsync();
        Assert.Matches(@"^second 4\d\n", text);
        Assert.Contains("completed/s: 180 /s", text, StringComparison.Ordinal);
        Assert.Contains("edge-a: 60 /s", text, StringComparison.Ordinal);
        Assert.Empty(session.Errors);
        await session.ScreenshotAsync(output, "figure[data-chart='throughput']");
    }

    [Fact]
    public async Task Report_LegendClickAndLogScale_RedrawTheChart()
    {
        var sample = ReportSamples.Realistic();
        var folder = WriteReport(sample, "realistic-legend");
        await using var session = await OpenAsync(folder, "realistic-legend", width: 1280);
        var points = () => session.EvalAsync("() => +document.querySelector(\"figure[data-chart='latency'] canvas\").dataset.points");
        var before = (await points()).GetInt32();

        await session.Page.Locator("figure[data-chart='latency'] .legend button", new PageLocatorOptions { HasText = "p50" }).ClickAsync();
        var hidden = (await points()).GetInt32();
        await session.Page.Locator("figure[data-chart='latency'] .logt input").CheckAsync();
        var logScale = await session.EvalAsync("() => document.querySelector(\"figure[data-chart='latency'] canvas\").dataset.points");

        Assert.Equal(4 * sample.Summary.Timeline.Count, before);
        Assert.Equal(3 * sample.Summary.Timeline.Count, hidden);
        Assert.Equal((3 * sample.Summary.Timeline.Count).ToString(CultureInfo.InvariantCulture), logScale.GetString());
        Assert.Empty(session.Errors);
        await session.ScreenshotAsync(output);
    }

    [Fact]
    public async Task Report_NarrowViewport_NoPageWideHorizontalScrollAndChartsFit()
    {
        var folder = WriteReport(ReportSamples.Realistic(), "realistic-narrow");
        await using var session = await OpenAsync(folder, "realistic-narrow", width: 390);

        var layout = await session.EvalAsync("""
            () => ({ scroll: document.documentElement.scrollWidth, view: window.innerWidth,
                     canvases: [...document.querySelectorAll('canvas')].map(c => ({ w: c.getBoundingClientRect().right, drawn: c.dataset.drawn })) })
            """);

        var view = layout.GetProperty("view").GetInt32();
        Assert.True(layout.GetProperty("scroll").GetInt32() <= view, $"page is {layout.GetProperty("scroll")} px wide in a {view} px window");
        foreach (var c in layout.GetProperty("canvases").EnumerateArray())
        {
            Assert.Equal("1", c.GetProperty("drawn").GetString());
            Assert.True(c.GetProperty("w").GetDouble() <= view);
        }

        Assert.Empty(session.Errors);
        await session.ScreenshotAsync(output);
        await session.ScreenshotAsync(output, "#charts");
    }

    private static ReportSample Sample(string name) => name switch
    {
        "realistic" => ReportSamples.Realistic(),
        "zero-requests" => ReportSamples.ZeroRequests(),
        "errors-only-1s" => ReportSamples.ErrorsOnlyOneSecond(),
        "hostile-and-unicode" => ReportSamples.Hostile(),
        "two-hours-8-drivers" => ReportSamples.Long("two-hours-8-drivers", 2 * 3600, 8),
        "many-drivers" => ReportSamples.ManyDrivers(),
        "no-hgrm-from-folder" => ReportSamples.Realistic() with { Hgrm = null },
        "no-timeline" => ReportSamples.NoTimeline(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown case"),
    };

    /// <summary>Writes the results files and, as <c>kukai report</c> does, report.html from them.</summary>
    private static ResultsFolder WriteReport(ReportSample sample, string name)
    {
        var path = Path.Combine(ArtifactsDirectory, "reports", name);
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }

        var folder = sample.WriteFolder(path);
        HtmlReport.WriteFromFolder(folder);
        return folder;
    }

    private async Task<BrowserSession> OpenAsync(ResultsFolder folder, string name, int width)
    {
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = 900 },
            DeviceScaleFactor = 1,
        });
        var page = await context.NewPageAsync();
        var session = new BrowserSession(context, page, name, new Uri(folder.FilePath(ResultsFolder.ReportFile)).AbsoluteUri);
        page.Console += (_, m) =>
        {
            if (m.Type is "error" or "assert")
            {
                session.Errors.Add($"console {m.Type}: {m.Text}");
            }
        };
        page.PageError += (_, e) => session.Errors.Add("page error: " + e);
        page.Request += (_, r) => session.Requests.Add(r.Url);
        await page.GotoAsync(session.Url, new PageGotoOptions { WaitUntil = WaitUntilState.Load, Timeout = 30_000 });
        try
        {
            await page.WaitForSelectorAsync("body[data-ready='true']", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached, Timeout = 15_000 });
        }
        catch (TimeoutException)
        {
            Assert.Fail("the report's script did not finish: " + string.Join("; ", session.Errors));
        }

        return session;
    }

    private static async Task AssertChartsDrewAsync(BrowserSession session, ReportSample sample, ResultsFolder folder)
    {
        var charts = await session.EvalAsync("""
            () => [...document.querySelectorAll('figure[data-chart] canvas')].map(cv => {
              const rgb = h => [1, 3, 5].map(i => parseInt(h.slice(i, i + 2), 16));
              const colors = (cv.dataset.colors || '').split(',').filter(Boolean).map(rgb);
              const px = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
              let ink = 0, series = 0;
              for (let i = 0; i < px.length; i += 4) {
                if (px[i + 3] === 0) continue;
                ink++;
                if (px[i + 3] > 200 && colors.some(c => Math.abs(c[0] - px[i]) + Math.abs(c[1] - px[i + 1]) + Math.abs(c[2] - px[i + 2]) < 24)) series++;
              }
              return { chart: cv.closest('figure').dataset.chart, drawn: cv.dataset.drawn === '1', points: +cv.dataset.points,
                       width: cv.width, height: cv.height, ink: ink, series: series };
            })
            """);

        // What each chart must have plotted, from the data the page was given (read back from the folder as kukai report does).
        var summary = folder.ReadSummary();
        var timeseries = TimeseriesCsv.Read(folder.FilePath(ResultsFolder.TimeseriesFile));
        var curve = sample.Hgrm is null ? [] : HgrmReader.Read(folder.FilePath(ResultsFolder.HgrmFile));
        var data = ReportChartBuilder.Build(summary, timeseries, curve);
        if (data.Bucket == 1 && summary.Timeline.Count > 0)
        {
            Assert.Equal(summary.Timeline.Count, data.X.Length);
        }

        static int Points(params double?[][] series) => series.Sum(s => s.Count(v => v is not null));
        var expected = new Dictionary<string, int>
        {
            ["throughput"] = Points([data.Completed, data.Sent, data.Errors, .. data.Drivers.Select(d => d.Completed)]),
            ["latency"] = Points(data.P50, data.P90, data.P99, data.Max),
            ["late"] = Points(data.Late, data.LateConnectionsBusy, data.Dropped),
            ["errors"] = data.ErrorKinds.Length,
        };
        if (data.Curve is not null)
        {
            expected["curve"] = data.Curve.P.Count(p => p < 1);
        }

        Assert.Equal(expected.Keys.Order(), charts.EnumerateArray().Select(c => c.GetProperty("chart").GetString()!).Order());
        foreach (var c in charts.EnumerateArray())
        {
            var chart = c.GetProperty("chart").GetString()!;
            Assert.True(c.GetProperty("drawn").GetBoolean(), $"{chart}: not drawn");
            Assert.True(c.GetProperty("width").GetInt32() > 200, $"{chart}: {c.GetProperty("width")} px wide");
            Assert.Equal(expected[chart], c.GetProperty("points").GetInt32());
            Assert.True(c.GetProperty("ink").GetInt32() > 1000, $"{chart}: only {c.GetProperty("ink")} pixels drawn");
            var hasData = chart == "errors" ? summary.Aggregate.Count > summary.Aggregate.Ok : expected[chart] > 0;
            if (hasData)
            {
                Assert.True(c.GetProperty("series").GetInt32() > 0, $"{chart}: no pixel has a series colour");
            }
        }
    }

    private static async Task AssertTablesMatchSummaryJsonAsync(BrowserSession session, ResultsFolder folder, ReportSample sample)
    {
        var cells = await session.EvalAsync("""
            () => [...document.querySelectorAll('table.stats tbody tr[data-scope]')].flatMap(tr =>
              [...tr.querySelectorAll('td[data-field]')].map(td => ({
                table: tr.closest('table').id, scope: tr.dataset.scope, name: tr.dataset.name, field: td.dataset.field, v: td.dataset.v, text: td.textContent })))
            """);
        using var json = JsonDocument.Parse(File.ReadAllText(folder.FilePath(ResultsFolder.SummaryFile)));
        var root = json.RootElement;

        var seen = new HashSet<(string Scope, string Name, string Field)>();
        foreach (var cell in cells.EnumerateArray())
        {
            var scope = cell.GetProperty("scope").GetString()!;
            var name = cell.GetProperty("name").GetString()!;
            var field = cell.GetProperty("field").GetString()!;
            var stats = scope == "aggregate" ? root.GetProperty("aggregate") : root.GetProperty(scope).GetProperty(name);
            var expected = field == "errors"
                ? stats.GetProperty("errors").EnumerateObject().Sum(e => e.Value.GetDouble())
                : field.Split('.').Aggregate(stats, (e, part) => e.GetProperty(part)).GetDouble();
            var shown = double.Parse(cell.GetProperty("v").GetString()!, CultureInfo.InvariantCulture);
            Assert.True(expected == shown, $"{scope} {name} {field}: summary.json {expected}, table {shown}");
            if (!field.StartsWith("bytes", StringComparison.Ordinal) && field != "errorRate")
            {
                var text = cell.GetProperty("text").GetString()!.Replace(",", "", StringComparison.Ordinal);
                Assert.True(expected == double.Parse(text, CultureInfo.InvariantCulture), $"{scope} {name} {field}: summary.json {expected}, text '{text}'");
            }

            seen.Add((scope, name, field));
        }

        // Every figure SPEC §3 names, for the aggregate and (when several) every target and driver, in the tables.
        var s = sample.Summary;
        var rows = new List<(string, string)> { ("aggregate", "") };
        if (s.PerTarget.Count > 1)
        {
            rows.AddRange(s.PerTarget.Keys.Select(k => ("perTarget", k)));
        }

        if (s.PerDriver.Count > 1)
        {
            rows.AddRange(s.PerDriver.Keys.Select(k => ("perDriver", k)));
        }

        string[] latency = ["min", "mean", "stddev", "median", "mode", "p90", "p95", "p99", "p999", "max"];
        string[] fields =
        [
            "count", "ok", "errors", "errorRate", "rps", "sent", "late", "lateConnectionsBusy", "dropped", "bytesSent", "bytesReceived",
            .. latency.Select(l => "latencyMs." + l), .. latency.Select(l => "serviceTimeMs." + l),
            .. s.Aggregate.Errors.Where(e => e.Value > 0).Select(e => "errors." + e.Key),
        ];
        foreach (var (scope, name) in rows)
        {
            foreach (var field in fields)
            {
                Assert.Contains((scope, name, field), seen);
            }
        }

        Assert.Equal(rows.Count * fields.Length, seen.Count);
    }

    private static string FindArtifactsDirectory()
    {
        var configured = Environment.GetEnvironmentVariable("KUKAI_TEST_ARTIFACTS");
        if (!string.IsNullOrEmpty(configured))
        {
            return Path.GetFullPath(configured);
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Kukai.Results.Tests.csproj")))
            {
                return Path.Combine(dir.FullName, "TestResults");
            }
        }

        return Path.Combine(AppContext.BaseDirectory, "TestResults");
    }

    /// <summary>One page in its own browser context, with what it logged and requested.</summary>
    private sealed class BrowserSession(IBrowserContext context, IPage page, string name, string url) : IAsyncDisposable
    {
        public IPage Page { get; } = page;

        public string Url { get; } = url;

        public List<string> Errors { get; } = [];

        public List<string> Requests { get; } = [];

        public async Task<JsonElement> EvalAsync(string script)
        {
            var json = await Page.EvaluateAsync<string>($"() => JSON.stringify(({script})())");
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.Clone();
        }

        /// <summary>A full-page screenshot, or one of the element <paramref name="selector"/> picks.</summary>
        public async Task ScreenshotAsync(ITestOutputHelper output, string? selector = null)
        {
            var suffix = selector is null ? "" : "-" + new string([.. selector.Where(char.IsAsciiLetterOrDigit)]);
            var path = Path.Combine(ArtifactsDirectory, "screenshots", name + suffix + ".png");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (selector is null)
            {
                await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
            }
            else
            {
                await Page.Locator(selector).ScreenshotAsync(new LocatorScreenshotOptions { Path = path });
            }

            output.WriteLine($"screenshot: {path}");
            output.WriteLine($"report: {new Uri(Url).LocalPath}");
        }

        public async ValueTask DisposeAsync() => await context.CloseAsync();
    }
}
