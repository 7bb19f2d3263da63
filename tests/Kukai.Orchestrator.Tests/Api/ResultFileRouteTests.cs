using System.Net;
using Kukai.Orchestrator.Tests.Auth;

namespace Kukai.Orchestrator.Tests.Api;

/// <summary>
/// <c>GET /api/tests/{id}/files/{name}</c> as browsers and download tools use it: the report opens in the browser,
/// the data files download, and HEAD answers every GET route with its headers and no body.
/// </summary>
[Collection(SecuredClusterCollection.Name)]
public sealed class ResultFileRouteTests(SecuredClusterFixture cluster)
{
    [Fact]
    public async Task GetFile_Report_InlineAndDataFilesAttachmentsNamedAfterTheirTest()
    {
        using var http = cluster.CreateClient(SecuredClusterFixture.SecretToken);

        using var report = await http.GetAsync($"api/tests/{cluster.TestId}/files/report.html");
        using var summary = await http.GetAsync($"api/tests/{cluster.TestId}/files/summary.json");

        report.EnsureSuccessStatusCode();
        Assert.Equal("text/html", report.Content.Headers.ContentType?.MediaType);
        Assert.NotEqual("attachment", report.Content.Headers.ContentDisposition?.DispositionType);
        summary.EnsureSuccessStatusCode();
        Assert.Equal("attachment", summary.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"{cluster.TestId}-summary.json", summary.Content.Headers.ContentDisposition?.FileName);
    }

    [Theory]
    [InlineData("api/tests/{id}/files/summary.json")]
    [InlineData("api/tests/{id}/files/requests.arrow")]
    public async Task Head_ResultFile_HeadersOfTheGetAndNoBody(string route)
    {
        using var http = cluster.CreateClient(SecuredClusterFixture.SecretToken);
        var path = route.Replace("{id}", cluster.TestId, StringComparison.Ordinal);
        var length = new FileInfo(Path.Combine(cluster.DataDir, "results", cluster.TestId, Path.GetFileName(path))).Length;

        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
        var body = await head.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(length, head.Content.Headers.ContentLength);
        Assert.Contains("bytes", head.Headers.AcceptRanges);
        Assert.Empty(body);
    }

    [Theory]
    [InlineData("api/health", HttpStatusCode.OK)]
    [InlineData("api/tests/{id}", HttpStatusCode.OK)]
    [InlineData("api/tests/no-such-test", HttpStatusCode.NotFound)]
    [InlineData("api/tests/{id}/stop", HttpStatusCode.MethodNotAllowed)] // a POST route: HEAD is not a GET there either
    public async Task Head_Route_StatusOfTheGetAndNoBody(string route, HttpStatusCode expected)
    {
        using var http = cluster.CreateClient(SecuredClusterFixture.SecretToken);

        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, route.Replace("{id}", cluster.TestId, StringComparison.Ordinal)));

        Assert.Equal(expected, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }
}
