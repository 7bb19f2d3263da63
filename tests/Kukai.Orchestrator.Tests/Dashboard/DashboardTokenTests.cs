using Kukai.Orchestrator.Tests.Testing;
using Xunit.Abstractions;

namespace Kukai.Orchestrator.Tests.Dashboard;

/// <summary>The dashboard of an orchestrator started with <c>--token</c>: it asks for the token once and keeps it.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardTokenTests(TokenDashboardFixture fixture, ITestOutputHelper output) : IClassFixture<TokenDashboardFixture>
{
    private const string DialogOpen = "document.getElementById('token-dialog').open";

    [Fact]
    public async Task Open_WithToken_PromptsUntilTheRightTokenThenGoesLive()
    {
        await using var page = await fixture.Chromium.OpenAsync(fixture.Cluster.BaseUrl, "token");

        // The API answers 401: the prompt opens.
        await page.WaitForAsync(DialogOpen);
        Assert.Equal("false", await page.ByTestId("token-dialog").GetAttributeAsync("data-refused"));
        Assert.Equal(0, await page.Page.Locator("#drivers-body tr").CountAsync());
        output.WriteLine($"screenshot: {await page.ScreenshotAsync("prompt")}");

        // A wrong token: refused, asked again.
        await page.ByTestId("token-input").FillAsync("not-the-token");
        await page.ByTestId("token-submit").ClickAsync();
        await page.WaitForAsync($"{DialogOpen} && document.getElementById('token-dialog').dataset.refused === 'true'");
        Assert.Contains("refused", await page.ByTestId("token-message").InnerTextAsync(), StringComparison.Ordinal);
        output.WriteLine($"screenshot: {await page.ScreenshotAsync("refused")}");

        // The right one: the events flow (the stream takes ?access_token=) and the API calls carry it.
        await page.ByTestId("token-input").FillAsync(TokenDashboardFixture.SecretToken);
        await page.ByTestId("token-submit").ClickAsync();
        await page.WaitForAsync($"!{DialogOpen} && document.getElementById('live-status').dataset.state === 'live'");
        await page.WaitForAsync("document.querySelectorAll('#drivers-body tr[data-state=idle]').length === 2");
        Assert.Equal(TokenDashboardFixture.SecretToken, await page.Page.EvaluateAsync<string>("sessionStorage.getItem('kukai.token')"));
        output.WriteLine($"screenshot: {await page.ScreenshotAsync("accepted")}");

        // Kept for the session: a reload asks no more.
        await page.Page.ReloadAsync();
        await page.WaitForAsync("document.getElementById('live-status').dataset.state === 'live' && document.querySelectorAll('#drivers-body tr').length === 2");
        Assert.False(await page.Page.EvaluateAsync<bool>(DialogOpen));
        page.AssertNoErrors(401);
    }

    [Fact]
    public async Task StartTest_WithToken_RunsAndItsFilesDownloadWithTheToken()
    {
        await using var page = await fixture.Chromium.OpenAsync(fixture.Cluster.BaseUrl, "token-run");
        await page.WaitForAsync(DialogOpen);
        await page.ByTestId("token-input").FillAsync(TokenDashboardFixture.SecretToken);
        await page.ByTestId("token-submit").ClickAsync();
        await page.WaitForAsync("document.querySelectorAll('#drivers-body tr[data-state=idle]').length === 2");

        await page.Page.Locator("#f-rps").FillAsync("50");
        await page.Page.Locator("#f-durationSeconds").FillAsync("1");
        await page.Page.Locator("[data-field='targets[0].url']").FillAsync(fixture.Cluster.TargetUrl.ToString());
        var id = await page.StartFromFormAsync();
        await page.WaitForAsync("id => document.querySelector(`#history-body tr[data-test-id='${id}'] a[data-file='summary.json']`) !== null", id, TimeSpan.FromSeconds(60));

        // A plain link cannot carry the token: the page fetches the file with it and hands it over as a download.
        var link = page.Page.Locator($"#history-body tr[data-test-id='{id}'] a[data-file='summary.json']");
        var download = await page.Page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        Assert.Equal($"{id}-summary.json", download.SuggestedFilename);
        var path = await download.PathAsync();
        using var summary = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(path));
        Assert.Equal(id, summary.RootElement.GetProperty("testId").GetString());
        output.WriteLine($"screenshot: {await page.ScreenshotAsync("finished")}");
        page.AssertNoErrors(401);
    }
}
