using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Kukai.Orchestrator.Tests.Api;

/// <summary>
/// An orchestrator on 127.0.0.1 without a token is open to this machine only: web pages the user visits cannot start
/// tests through it — a cross-site form or text POST is refused (plans must be JSON, which a browser sends
/// cross-site only after a CORS preflight that is never granted), any change a browser sends from another origin is
/// refused (cross-site request forgery), and a page whose host name is re-pointed at 127.0.0.1 (DNS rebinding) is
/// refused by its Host header.
/// </summary>
[Collection(OrchestratorProcessCollection.Name)]
public sealed class BrowserAttackTests(OrchestratorFixture orchestrator) : IClassFixture<OrchestratorFixture>
{
    private const string Plan = """{ "requests": 1, "targets": [{ "url": "http://127.0.0.1:9/" }] }""";

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData(null)]
    public async Task PostPlan_NotJsonContentType_UnsupportedMediaTypeProblem(string? contentType)
    {
        foreach (var route in new[] { "api/tests", "start-test" })
        {
            using var response = await PostAsync(route, contentType);

            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        }
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json; charset=UTF8")]
    [InlineData("application/vnd.kukai.plan+json")]
    public async Task PostPlan_JsonContentType_Read(string contentType)
    {
        using var response = await PostAsync("api/tests", contentType);

        // Read and valid: refused only because no driver is registered.
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Preflight_CrossOrigin_NotGranted()
    {
        using var http = orchestrator.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Options, "api/tests");
        request.Headers.Add("Origin", "http://evil.example");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");

        using var response = await http.SendAsync(request);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Theory]
    [InlineData("POST", "api/tests", "http://evil.example")]
    [InlineData("POST", "start-test", "https://evil.example:5000")]
    [InlineData("POST", "api/tests/no-such-test/stop", "http://evil.example")]
    [InlineData("PUT", "api/tests/no-such-test/drivers/d/requests.arrow", "http://evil.example")]
    [InlineData("POST", "api/tests/no-such-test/stop", "null")]
    [InlineData("POST", "api/tests/no-such-test/stop", "http://localhost:1")]
    public async Task Change_FromAnotherOrigin_ForbiddenProblem(string method, string path, string origin)
    {
        using var http = orchestrator.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = Json() };
        request.Headers.Add("Origin", origin);

        using var response = await http.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Change_FromItsOwnPagesOrNotABrowser_Served(bool sameOrigin)
    {
        using var http = orchestrator.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/tests/no-such-test/stop");
        if (sameOrigin)
        {
            request.Headers.Add("Origin", orchestrator.BaseUrl.GetLeftPart(UriPartial.Authority));
        }

        using var response = await http.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Read_FromAnotherOrigin_ServedWithoutCorsHeaders()
    {
        using var http = orchestrator.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/health");
        request.Headers.Add("Origin", "http://evil.example");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:5000")]
    [InlineData("127.0.0.1.nip.io")]
    [InlineData("localhost.evil.example")]
    [InlineData("10.0.0.1")]
    public async Task Request_ForeignHostHeader_RefusedProblem(string host)
    {
        foreach (var path in new[] { "api/health", "api/tests", "" })
        {
            using var http = orchestrator.CreateClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Host = host;

            using var response = await http.SendAsync(request);

            var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
            Assert.Equal("Unexpected host", problem.GetProperty("title").GetString());
        }
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("LOCALHOST")]
    [InlineData("kukai.localhost")]
    [InlineData("127.1.2.3")]
    [InlineData("[::1]")]
    public async Task Request_LoopbackHostHeader_Served(string host)
    {
        using var http = orchestrator.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/health");
        request.Headers.Host = $"{host}:{orchestrator.BaseUrl.Port}";

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static ByteArrayContent Json()
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Plan));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private async Task<HttpResponseMessage> PostAsync(string route, string? contentType)
    {
        using var http = orchestrator.CreateClient();
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Plan));
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return await http.PostAsync(route, content);
    }
}
