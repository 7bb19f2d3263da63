using System.Globalization;
using System.Text.Json;
using Kukai.Orchestrator.Tests.Testing;
using Kukai.TestSupport;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Kukai.Orchestrator.Tests.Dashboard;

/// <summary>
/// The dashboard in headless Chromium against a live cluster (target, orchestrator, two drivers): what a person sees
/// and does. Every scenario asserts that the page logged no error, and saves screenshots under
/// <c>TestResults/dashboard/</c>.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardTests(DashboardFixture fixture, ITestOutputHelper output) : IClassFixture<DashboardFixture>
{
    private static readonly string[] LatencyStats = ["min", "mean", "stddev", "median", "mode", "p90", "p95", "p99", "p999", "max"];

    private DashboardCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Open_TwoDriversRegistered_ShowsBothIdleAndClusterHealth()
    {
        await using var page = await OpenAsync("open");

        await page.WaitForAsync("document.querySelectorAll('#drivers-body tr[data-state=idle]').length === 2");
        var ids = await page.Page.Locator("#drivers-body tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.driverId)");
        Assert.Equal(DashboardCluster.DriverIds, ids);
        foreach (var id in DashboardCluster.DriverIds)
        {
            var row = page.Page.Locator($"#drivers-body tr[data-driver-id='{id}']");
            Assert.Equal(DashboardCluster.DriverHost, await row.Locator("[data-col=host]").InnerTextAsync());
            Assert.Equal("idle", await row.Locator("[data-col=state]").InnerTextAsync());
            Assert.Matches(@"^\d+\.\d s ago$", await row.Locator("[data-col=heartbeat]").InnerTextAsync());
        }

        await page.WaitForAsync("document.getElementById('live-status').dataset.state === 'live'");
        Assert.Contains("2 idle", await page.ByTestId("cluster-health").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("Kafka: connected", await page.ByTestId("kafka-status").InnerTextAsync());
        Print(await page.ScreenshotAsync("drivers"));

        await page.Page.SetViewportSizeAsync(760, 900);
        // One column: the live panel on top at full width, nothing wider than the window.
        await page.WaitForAsync(
            "document.querySelector('.area-drivers').getBoundingClientRect().top > document.querySelector('.area-live').getBoundingClientRect().bottom && document.documentElement.scrollWidth <= window.innerWidth");
        Print(await page.ScreenshotAsync("narrow"));
        page.AssertNoErrors();
    }

    [Fact]
    public async Task StartTest_FromTheForm_LiveNumbersMoveAndFinalStatisticsEqualTheApi()
    {
        await using var page = await OpenAsync("run");
        await page.WaitForAsync("document.querySelectorAll('#drivers-body tr[data-state=idle]').length === 2");

        await FillPlanAsync(page, rps: "200", durationSeconds: "4");
        var id = await page.StartFromFormAsync();
        await page.WaitForAsync("id => document.getElementById('live-panel').dataset.testId === id", id);

        // Live: the numbers move while it runs.
        await page.WaitForAsync("document.getElementById('live-panel').dataset.state === 'running' && Number(document.getElementById('kpi-completed').textContent.replace(/,/g, '')) > 0");
        var first = await CompletedAsync(page);
        await page.WaitForAsync(
            "first => document.getElementById('live-panel').dataset.state === 'running' && Number(document.getElementById('kpi-completed').textContent.replace(/,/g, '')) > first && Number(document.getElementById('chart-rps').dataset.points) >= 2 && parseFloat(document.getElementById('kpi-rps').textContent.replace(/,/g, '')) > 0",
            first);
        Assert.Equal(2, await page.Page.Locator("#progress .progress-row").CountAsync());
        Assert.Equal(4, await page.Page.Locator("#chart-rps .u-legend .u-series").CountAsync()); // x, total, driver-1, driver-2
        Print(await page.ScreenshotAsync("running"));

        await page.WaitForAsync("id => document.getElementById('live-panel').dataset.state === 'completed'", id, TimeSpan.FromSeconds(60));
        await page.WaitForAsync("id => { const p = document.getElementById('stats-panel'); return p.dataset.testId === id && p.dataset.state === 'completed'; }", id);
        await page.WaitForAsync("id => document.querySelector(`#history-body tr[data-test-id='${id}']`) !== null", id);
        Print(await page.ScreenshotAsync("completed"));

        using var api = Cluster.CreateApiClient();
        using var test = JsonDocument.Parse(await api.GetStringAsync($"/api/tests/{id}"));
        Assert.Equal("completed", test.RootElement.GetProperty("state").GetString());
        await AssertStatisticsEqualAsync(page, test.RootElement.GetProperty("stats"));

        // Progress is complete, and no request failed or was dropped.
        var bars = await page.Page.Locator("#progress [role=progressbar]").EvaluateAllAsync<string[]>("bars => bars.map(b => b.getAttribute('aria-valuenow'))");
        Assert.Equal(["100", "100"], bars);
        var aggregate = test.RootElement.GetProperty("stats").GetProperty("aggregate");
        Assert.Equal(aggregate.GetProperty("count").GetInt64().ToString("N0", CultureInfo.InvariantCulture), await page.ByTestId("kpi-completed").InnerTextAsync());

        // History: the test with its verdict and files; selecting it shows the same statistics.
        var row = page.Page.Locator($"#history-body tr[data-test-id='{id}']");
        Assert.Equal(test.RootElement.GetProperty("verdict").GetString(), await row.Locator("[data-col=verdict]").InnerTextAsync());
        var files = await row.Locator("a.file").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
        Assert.Contains($"/api/tests/{id}/files/summary.json", files);
        Assert.Contains($"/api/tests/{id}/files/timeseries.csv", files);
        Assert.Contains($"/api/tests/{id}/files/histograms.json", files);
        foreach (var href in files)
        {
            using var response = await api.GetAsync(href);
            Assert.True(response.IsSuccessStatusCode, $"{href}: {(int)response.StatusCode}");
        }

        await row.GetByRole(AriaRole.Button).ClickAsync();
        await page.WaitForAsync("!document.getElementById('follow-live').hidden && document.querySelector('#history-body tr.selected') !== null");
        await AssertStatisticsEqualAsync(page, test.RootElement.GetProperty("stats"));
        Print(await page.ScreenshotAsync("history"));
        page.AssertNoErrors();
    }

    [Fact]
    public async Task StartTest_TargetStallsWithTwoConnections_LateKpiSplitsItsCauses()
    {
        // Frozen 300 ms of every second: with two connections per driver, the requests due meanwhile wait for one.
        await using var target = await TargetProcess.StartAsync(extra: ["--stall-ms", "300", "--stall-every-ms", "1000"]);
        await using var page = await OpenAsync("late");
        await page.WaitForAsync("document.querySelectorAll('#drivers-body tr[data-state=idle]').length === 2");

        await FillPlanAsync(page, rps: "100", durationSeconds: "3", url: target.PingUrl);
        await page.Page.Locator("#f-connections").FillAsync("2");
        var id = await page.StartFromFormAsync();
        await page.WaitForLiveCompletedAsync(id);

        using var api = Cluster.CreateApiClient();
        using var test = JsonDocument.Parse(await api.GetStringAsync($"/api/tests/{id}"));
        var plan = test.RootElement.GetProperty("plan");
        Assert.Equal(2, plan.GetProperty("connections").GetInt32());
        var aggregate = test.RootElement.GetProperty("stats").GetProperty("aggregate");
        var late = aggregate.GetProperty("late").GetInt64();
        var busy = aggregate.GetProperty("lateConnectionsBusy").GetInt64();
        Assert.True(busy > 0, aggregate.ToString());

        var kpi = page.ByTestId("kpi-late");
        Assert.Equal(N0(late), await kpi.InnerTextAsync());
        Assert.Equal(
            $"{N0(busy)} waited for a busy connection, {N0(late - busy)} left late with a connection free (the generator was behind)",
            await kpi.GetAttributeAsync("title"));
        Print(await page.ScreenshotAsync("late"));
        page.AssertNoErrors();
    }

    [Fact]
    public async Task StartTest_AvalancheWithAMethodAndABody_NoRateCeilingAndTheMethodSent()
    {
        await using var page = await OpenAsync("avalanche-form");
        await page.WaitForAsync("document.querySelectorAll('#drivers-body tr[data-state=idle]').length === 2");
        var p = page.Page;

        // The tsunami's pre-filled rate is not carried over as an avalanche's ceiling.
        await p.Locator("#f-type").SelectOptionAsync("avalanche");
        Assert.Equal("", await p.Locator("#f-rps").InputValueAsync());
        await p.Locator("#f-requests").FillAsync("50");
        await p.Locator("#f-durationSeconds").FillAsync("");
        await p.Locator("#f-method").SelectOptionAsync("POST");
        await p.Locator("#f-payload").FillAsync("hello");
        await p.Locator("[data-field='targets[0].url']").FillAsync(Cluster.TargetUrl.ToString());
        var id = await page.StartFromFormAsync();
        await page.WaitForLiveCompletedAsync(id);

        using var api = Cluster.CreateApiClient();
        using var test = JsonDocument.Parse(await api.GetStringAsync($"/api/tests/{id}"));
        var plan = test.RootElement.GetProperty("plan");
        Assert.Equal("avalanche", plan.GetProperty("type").GetString());
        Assert.False(plan.TryGetProperty("rps", out var rps) && rps.ValueKind != JsonValueKind.Null, plan.ToString());
        Assert.Equal("POST", plan.GetProperty("method").GetString());
        Assert.Equal("hello", plan.GetProperty("payload").GetString());
        Assert.Equal(100, test.RootElement.GetProperty("stats").GetProperty("aggregate").GetProperty("count").GetInt64());

        // Switching back to a tsunami brings the starting rate back.
        await p.Locator("#f-type").SelectOptionAsync("tsunami");
        Assert.Equal("100", await p.Locator("#f-rps").InputValueAsync());
        page.AssertNoErrors();
    }

    [Fact]
    public async Task StartTest_InvalidValues_ApiErrorsShownNextToTheirFields()
    {
        await using var page = await OpenAsync("invalid");
        await page.WaitForAsync("document.getElementById('live-status').dataset.state === 'live'");

        await FillPlanAsync(page, delayMs: "-5", rps: "", durationSeconds: "4", url: "not a url");
        await page.ByTestId("add-target").ClickAsync();
        await page.Page.Locator("[data-field='targets[1].url']").FillAsync(Cluster.TargetUrl.ToString());
        await page.Page.Locator("[data-field='targets[1].weight']").FillAsync("-1");
        await page.ByTestId("start-button").ClickAsync();

        await page.WaitForAsync("document.getElementById('form-message').dataset.kind === 'error'");
        foreach (var field in new[] { "delayMs", "targets[0].url", "targets[1].weight" })
        {
            var input = page.Page.Locator($"#start-form [data-field='{field}']");
            var error = page.Page.Locator($".field:has([data-field='{field}']) > .field-error[data-error-for='{field}']");
            Assert.Equal(1, await error.CountAsync());
            Assert.False(string.IsNullOrWhiteSpace(await error.InnerTextAsync()));
            Assert.Equal("true", await input.GetAttributeAsync("aria-invalid"));
            Assert.Contains(await error.GetAttributeAsync("id") ?? "?", await input.GetAttributeAsync("aria-describedby") ?? "", StringComparison.Ordinal);
        }

        Assert.Contains("-5", await page.Page.Locator("[data-error-for='delayMs']").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("delayMs", await page.Page.EvaluateAsync<string>("document.activeElement.dataset.field")); // the first on screen
        Assert.Equal(0, await page.Page.Locator("[data-error-for='rps'], [data-error-for='durationSeconds'], [data-error-for='targets[1].url']").CountAsync());
        Print(await page.ScreenshotAsync("validation"));
        page.AssertNoErrors(400);
    }

    [Fact]
    public async Task Stop_RunningTest_ShownStoppedAndASecondStartIsRefused()
    {
        await using var page = await OpenAsync("stop");
        await page.WaitForAsync("document.querySelectorAll('#drivers-body tr[data-state=idle]').length === 2");

        await FillPlanAsync(page, rps: "100", durationSeconds: "120");
        var id = await page.StartFromFormAsync();
        await page.WaitForAsync(
            "id => { const p = document.getElementById('live-panel'); return p.dataset.testId === id && p.dataset.state === 'running' && Number(document.getElementById('kpi-completed').textContent.replace(/,/g, '')) > 0; }",
            id);
        await page.WaitForAsync("document.querySelectorAll('#drivers-body tr[data-state=running]').length === 2");
        Assert.True(await page.ByTestId("stop-button").IsEnabledAsync());

        // A second test while this one runs: the API's 409 is shown as a message.
        await page.ByTestId("start-button").ClickAsync();
        await page.WaitForAsync("document.getElementById('form-message').dataset.kind === 'error'");
        Assert.StartsWith("Cannot start:", await page.ByTestId("form-message").InnerTextAsync(), StringComparison.Ordinal);
        Print(await page.ScreenshotAsync("conflict"));

        await page.ByTestId("stop-button").ClickAsync();
        await page.WaitForAsync("id => document.getElementById('live-panel').dataset.state === 'stopped'", id, TimeSpan.FromSeconds(60));
        Assert.Equal("stopped", await page.ByTestId("live-state").InnerTextAsync());
        Assert.True(await page.ByTestId("stop-button").IsHiddenAsync());
        await page.WaitForAsync("document.querySelectorAll('#drivers-body tr[data-state=idle]').length === 2");
        await page.WaitForAsync("id => document.querySelector(`#history-body tr[data-test-id='${id}'][data-state=stopped]`) !== null", id);
        Print(await page.ScreenshotAsync("stopped"));

        using var api = Cluster.CreateApiClient();
        using var test = JsonDocument.Parse(await api.GetStringAsync($"/api/tests/{id}"));
        Assert.Equal("stopped", test.RootElement.GetProperty("state").GetString());
        page.AssertNoErrors(409);
    }

    private async Task<DashboardPage> OpenAsync(string name)
    {
        var page = await fixture.Chromium.OpenAsync(Cluster.BaseUrl, name);
        await page.ByTestId("start-form").WaitForAsync();
        return page;
    }

    private async Task FillPlanAsync(DashboardPage page, string rps, string durationSeconds, string delayMs = "", string? url = null)
    {
        var p = page.Page;
        await p.Locator("#f-type").SelectOptionAsync("tsunami");
        await p.Locator("#f-delayMs").FillAsync(delayMs);
        await p.Locator("#f-rps").FillAsync(rps);
        await p.Locator("#f-requests").FillAsync("");
        await p.Locator("#f-durationSeconds").FillAsync(durationSeconds);
        await p.Locator("[data-field='targets[0].url']").FillAsync(url ?? Cluster.TargetUrl.ToString());
    }

    private static async Task<long> CompletedAsync(DashboardPage page) =>
        long.Parse((await page.ByTestId("kpi-completed").InnerTextAsync()).Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);

    /// <summary>Every row (aggregate, each driver, each target) and every cell of the table, against the API's numbers.</summary>
    private static async Task AssertStatisticsEqualAsync(DashboardPage page, JsonElement stats)
    {
        var expected = new List<(string Scope, JsonElement Stats)> { ("aggregate", stats.GetProperty("aggregate")) };
        expected.AddRange(stats.GetProperty("perDriver").EnumerateObject().Select(p => ("driver:" + p.Name, p.Value)));
        expected.AddRange(stats.GetProperty("perTarget").EnumerateObject().Select(p => ("target:" + p.Name, p.Value)));
        Assert.Equal(1 + DashboardCluster.DriverIds.Count + 1, expected.Count);

        var shown = await page.Page.Locator("#stats-body tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.scope)");
        Assert.Equal(expected.Select(e => e.Scope).Order(StringComparer.Ordinal), shown.Order(StringComparer.Ordinal));

        foreach (var (scope, s) in expected)
        {
            var cells = await page.Page.Locator($"#stats-body tr[data-scope='{scope}'] td").EvaluateAllAsync<Dictionary<string, string>>(
                "tds => Object.fromEntries(tds.map(td => [td.dataset.stat, td.textContent]))");
            var count = s.GetProperty("count").GetInt64();
            var ok = s.GetProperty("ok").GetInt64();
            var want = new Dictionary<string, string>
            {
                ["count"] = N0(count),
                ["ok"] = N0(ok),
                ["errors"] = N0(count - ok),
                ["rps"] = N3(s.GetProperty("rps").GetDouble()),
            };
            foreach (var stat in LatencyStats)
            {
                want[stat] = N3(s.GetProperty("latencyMs").GetProperty(stat).GetDouble());
            }

            Assert.True(count > 0, scope);
            Assert.Equal(want.OrderBy(kv => kv.Key, StringComparer.Ordinal), cells.OrderBy(kv => kv.Key, StringComparer.Ordinal));
        }
    }

    private static string N0(long v) => v.ToString("N0", CultureInfo.InvariantCulture);

    private static string N3(double v) => v.ToString("N3", CultureInfo.InvariantCulture);

    private void Print(string path) => output.WriteLine($"screenshot: {path}");
}
