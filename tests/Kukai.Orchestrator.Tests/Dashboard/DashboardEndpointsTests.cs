using System.Net;
using System.Text.RegularExpressions;
using Kukai.Orchestrator.Tests.Testing;

namespace Kukai.Orchestrator.Tests.Dashboard;

/// <summary>The dashboard's HTTP side: the page and its assets are served from the binary, with no token.</summary>
[Collection(DashboardCollection.Name)]
public sealed partial class DashboardEndpointsTests(TokenDashboardFixture fixture) : IClassFixture<TokenDashboardFixture>, IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = fixture.Cluster.BaseUrl };

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task GetRoot_WithTokenConfigured_ServesThePageWithoutTheToken()
    {
        using var response = await _http.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"drivers-table\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("app.js", "text/javascript")]
    [InlineData("app.css", "text/css")]
    [InlineData("uPlot.iife.min.js", "text/javascript")]
    [InlineData("uPlot.min.css", "text/css")]
    [InlineData("favicon.svg", "image/svg+xml")]
    public async Task GetAsset_Embedded_ServedWithItsType(string name, string type)
    {
        using var response = await _http.GetAsync($"/assets/{name}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("nope.js")]
    [InlineData("index.htm")]
    [InlineData("..%2Fapp.js")]
    public async Task GetAsset_Unknown_NotFound(string name)
    {
        using var response = await _http.GetAsync($"/assets/{name}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task GetRoot_EveryScriptAndStylesheet_IsAnEmbeddedAsset()
    {
        // No network at run time: everything the page loads comes from /assets/ and is served.
        var html = await _http.GetStringAsync("/");
        var references = AssetReference().Matches(html).Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(5, references.Count);
        foreach (var reference in references)
        {
            Assert.StartsWith("/assets/", reference, StringComparison.Ordinal);
            using var response = await _http.GetAsync(reference);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [GeneratedRegex(@"(?:src|href)=""([^""#]+)""")]
    private static partial Regex AssetReference();
}
