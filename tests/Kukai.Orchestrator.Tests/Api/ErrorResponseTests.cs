using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Kukai.Orchestrator.Tests.Api;

/// <summary>
/// Every error of the API is RFC 9457 problem details (<c>application/problem+json</c> with title, status and detail):
/// malformed and oversized bodies, wrong content, bad queries, unknown ids and routes, wrong methods.
/// </summary>
[Collection(OrchestratorProcessCollection.Name)]
public sealed class ErrorResponseTests(OrchestratorFixture orchestrator) : IClassFixture<OrchestratorFixture>
{
    private const int MaxBody = 1024 * 1024;

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{ \"requests\": }")]
    [InlineData("{ \"requests\": 1, }")]
    [InlineData("{ requests: 1 }")]
    [InlineData("{ \"requests\": 1 } trailing")]
    [InlineData("nul")]
    [InlineData("{ \"requests\": 01 }")]
    [InlineData("{ \"payload\": \"\\q\" }")]
    public async Task PostPlan_MalformedJson_BadRequestProblem(string body)
    {
        using var response = await PostAsync("api/tests", Encoding.UTF8.GetBytes(body));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("Malformed JSON", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task PostPlan_InvalidUtf8_BadRequestProblem()
    {
        using var response = await PostAsync("api/tests", [.. "{ \"payload\": \""u8, 0xff, 0xfe, .. "\" }"u8]);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("{ \"payload\": \"\\ud800\" }", "plan.payload")]
    [InlineData("{ \"headers\": { \"X-A\": \"a\\udc00b\" } }", "plan.headers.X-A")]
    [InlineData("{ \"\\ud800\": 1 }", "a key of plan")]
    public async Task PostPlan_UnpairedSurrogateEscape_BadRequestProblemNamingWhere(string body, string where)
    {
        using var response = await PostAsync("api/tests", Encoding.UTF8.GetBytes(body));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.StartsWith(where + " holds an escape", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostPlan_NestedTooDeep_BadRequestProblem()
    {
        var body = "{ \"payload\": " + new string('[', 64) + new string(']', 64) + " }";

        using var response = await PostAsync("api/tests", Encoding.UTF8.GetBytes(body));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task PostPlan_ByteOrderMarkFirst_ReadAsThePlan()
    {
        using var response = await PostAsync("api/tests", [0xEF, 0xBB, 0xBF, .. """{ "requests": 1, "targets": [{ "url": "http://127.0.0.1:1/" }] }"""u8]);

        // Read and valid: refused only because no driver is registered.
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task PostPlan_PayloadTooLargeForTheStartMessage_BadRequestNamingPayload()
    {
        // Within the body limit, but the drivers' start message would be refused by Kafka after a 201.
        var body = $$"""{ "requests": 1, "method": "POST", "payload": "{{new string('x', 950_000)}}", "targets": [{ "url": "http://127.0.0.1:1/" }] }""";

        using var response = await PostAsync("api/tests", Encoding.UTF8.GetBytes(body));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        var error = Assert.Single(problem.GetProperty("errors").GetProperty("payload").EnumerateArray()).GetString()!;
        Assert.Contains("at most 900000 fit in one Kafka message", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[1, 2]", "a list")]
    [InlineData("null", "null")]
    [InlineData("\"plan\"", "\"plan\"")]
    [InlineData("5", "5")]
    [InlineData("true", "true")]
    public async Task PostPlan_NotAnObject_BadRequestProblemNamingThePlan(string body, string shown)
    {
        using var response = await PostAsync("start-test", Encoding.UTF8.GetBytes(body));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        var error = Assert.Single(problem.GetProperty("errors").GetProperty("plan").EnumerateArray()).GetString();
        Assert.Equal($"must be a table of plan settings, not {shown}", error);
    }

    // Without "Expect: 100-continue" the client sends the whole body before it reads the answer: the server reads and
    // drops it (up to 8 MiB) and answers 413, where closing with the body unread would reset the connection under the
    // client's write. With it, the client waits for the answer, and a declared length over the limit is refused unread.
    [Theory]
    [InlineData(false, false, 6 * MaxBody)]
    [InlineData(true, false, 6 * MaxBody)]
    [InlineData(false, true, MaxBody)]
    [InlineData(true, true, MaxBody)]
    public async Task PostPlan_BodyOverOneMebibyte_PayloadTooLargeProblem(bool chunked, bool expectContinue, int padding)
    {
        var body = Plan(padding);

        using var response = await PostAsync("api/tests", body, chunked, expectContinue);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PostPlan_BodyOfExactlyOneMebibyte_Read(bool chunked)
    {
        var body = Plan(padding: 0);
        body = Plan(padding: MaxBody - body.Length);
        Assert.Equal(MaxBody, body.Length);

        using var response = await PostAsync("api/tests", body, chunked);

        // Read and valid: refused only because no driver is registered.
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("api/tests/x?percentiles=abc", "'abc'")]
    [InlineData("report-stats?percentiles=abc", "'abc'")]
    [InlineData("api/tests/x?percentiles=99,101", "'101'")]
    [InlineData("api/tests/x?percentiles=-1", "'-1'")]
    [InlineData("api/tests/x?percentiles=NaN", "'NaN'")]
    [InlineData("api/tests/x?percentiles=99,,1e999", "'1e999'")]
    public async Task GetStats_BadPercentiles_BadRequestProblemNamingTheValue(string path, string value)
    {
        using var http = orchestrator.CreateClient();

        using var response = await http.GetAsync(path);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        var error = Assert.Single(problem.GetProperty("errors").GetProperty("percentiles").EnumerateArray()).GetString()!;
        Assert.Contains(value, error, StringComparison.Ordinal);
        Assert.Contains(value, problem.GetProperty("detail").GetString()!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "api/tests/..%2F..%2Fetc/files/summary.json", "'..%2F..%2Fetc'")] // %2F is not decoded in a path
    [InlineData("GET", "api/tests/a%20b", "'a b'")]
    [InlineData("POST", "api/tests/-x/stop", "'-x'")]
    [InlineData("GET", "api/tests/{long}/timeseries", "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…'")]
    public async Task Request_MalformedTestId_BadRequestProblemEchoingItCutShort(string method, string path, string shown)
    {
        using var http = orchestrator.CreateClient();

        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path.Replace("{long}", new string('a', 5000), StringComparison.Ordinal)));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal($"id: {shown} is not a test id (1 to 64 letters, digits, '.', '_' or '-', not starting with '.' or '-')", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("GET", "api/tests/no-such-test")]
    [InlineData("GET", "api/tests/no-such-test/timeseries")]
    [InlineData("POST", "api/tests/no-such-test/stop")]
    [InlineData("GET", "api/tests/no-such-test/files/summary.json")]
    [InlineData("GET", "api/tests/no-such-test/files/passwd")]
    [InlineData("GET", "report-stats")]
    [InlineData("GET", "api/no-such-route")]
    [InlineData("GET", "no-such-page")]
    [InlineData("GET", "assets/no-such-asset.js")]
    public async Task Request_UnknownTestOrRoute_NotFoundProblem(string method, string path)
    {
        using var http = orchestrator.CreateClient();

        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("POST", "api/health", "GET")]
    [InlineData("POST", "api/drivers", "GET")]
    [InlineData("DELETE", "api/tests", "GET, POST")]
    [InlineData("GET", "start-test", "POST")]
    [InlineData("PUT", "start-test", "POST")]
    [InlineData("POST", "report-stats", "GET")]
    [InlineData("GET", "api/tests/x/stop", "POST")]
    [InlineData("POST", "api/events", "GET")]
    public async Task Request_WrongMethod_MethodNotAllowedProblemWithAllow(string method, string path, string allowed)
    {
        using var http = orchestrator.CreateClient();

        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.MethodNotAllowed);
        Assert.Equal(allowed, string.Join(", ", response.Content.Headers.Allow.Order(StringComparer.Ordinal)));
        Assert.Contains(method, problem.GetProperty("detail").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostPlan_ValidButNoDrivers_ConflictProblem()
    {
        using var response = await PostAsync("api/tests", Plan(padding: 0));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict);
    }

    // A valid plan, padded with spaces to the given size.
    private static byte[] Plan(int padding) =>
        Encoding.UTF8.GetBytes("""{ "requests": 1, "targets": [{ "url": "http://127.0.0.1:9/" }] }""" + new string(' ', padding));

    private async Task<HttpResponseMessage> PostAsync(string route, byte[] body, bool chunked = false, bool expectContinue = false)
    {
        using var http = orchestrator.CreateClient();
        HttpContent content = chunked ? new StreamContent(new MemoryStream(body)) : new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, route) { Content = content };
        if (chunked)
        {
            request.Headers.TransferEncodingChunked = true;
        }

        request.Headers.ExpectContinue = expectContinue;
        return await http.SendAsync(request);
    }
}
