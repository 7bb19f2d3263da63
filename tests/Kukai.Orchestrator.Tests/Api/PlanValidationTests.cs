using System.Net;
using System.Text;
using System.Text.Json;

namespace Kukai.Orchestrator.Tests.Api;

/// <summary>
/// Plans over the API (SPEC §2, §5): every problem of a plan comes back at once in one 400 problem, each under its
/// field's camelCase path.
/// </summary>
[Collection(OrchestratorProcessCollection.Name)]
public sealed class PlanValidationTests(OrchestratorFixture orchestrator) : IClassFixture<OrchestratorFixture>
{
    [Theory]
    [InlineData("api/tests")]
    [InlineData("start-test")]
    public async Task PostPlan_SeveralKindsOfProblems_OneProblemNamingEveryField(string route)
    {
        const string plan = """
            { "type": "hurricane", "rps": "fast", "duratoinSeconds": 5, "concurrency": 0, "timeoutMs": 0,
              "targets": [{ "url": "http://127.0.0.1:8080/ping" }, { "url": "ftp://example" }] }
            """;

        var problem = await PostAsync(route, plan, HttpStatusCode.BadRequest);

        Assert.Equal(
            ["concurrency", "duratoinSeconds", "rps", "targets[1].url", "timeoutMs", "type"],
            ProblemAssert.ErrorFields(problem).Order(StringComparer.Ordinal));
        var errors = problem.GetProperty("errors");
        Assert.Equal("unknown key (did you mean 'durationSeconds'?)", Single(errors, "duratoinSeconds"));
        Assert.Equal("\"fast\" must be a number", Single(errors, "rps"));
        Assert.Equal("0 must be between 1 and 1000000", Single(errors, "concurrency"));
        Assert.Equal("\"ftp://example\" must be an absolute http:// or https:// url with a host", Single(errors, "targets[1].url"));
        Assert.StartsWith("\"hurricane\" is not a test type", Single(errors, "type"), StringComparison.Ordinal);
        var detail = problem.GetProperty("detail").GetString()!;
        foreach (var field in ProblemAssert.ErrorFields(problem))
        {
            Assert.Contains(field + ": ", detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task PostPlan_MissingTargetsAndBound_BothNamed()
    {
        var problem = await PostAsync("api/tests", """{ "type": "tsunami", "rps": 10 }""", HttpStatusCode.BadRequest);

        Assert.Equal(["requests", "targets"], ProblemAssert.ErrorFields(problem).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task PostPlan_WrongTypeAndMissingTargets_BothNamed()
    {
        var problem = await PostAsync("api/tests", """{ "rps": [1], "requests": 10 }""", HttpStatusCode.BadRequest);

        Assert.Equal(["rps", "targets"], ProblemAssert.ErrorFields(problem).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task PostPlan_NestedProblems_PathsWithIndexesInCamelCase()
    {
        var problem = await PostAsync("api/tests", """
            { "type": "tsunami", "delayMs": 2, "requests": 10,
              "targets": [{ "url": "http://127.0.0.1:1/", "wieght": 1 }, 5, { "addr": "127.0.0.1", "port": 70000 }],
              "stages": [{ "durationSeconds": 1, "rps": 5 }, { "durationSeconds": -1, "rps": 5 }],
              "headers": { "X-Ok": "1", "Bad Name": "2", "X-Num": 3 },
              "thresholds": ["p99_ms < 5", "nonsense"], "recordRequests": 2, "responseBytez": 4 }
            """, HttpStatusCode.BadRequest);

        Assert.Equal(
            [
                "headers.Bad Name", "headers.X-Num", "recordRequests", "responseBytez", "stages[1].durationSeconds",
                "targets[0].wieght", "targets[1]", "targets[2].port", "thresholds[1]",
            ],
            ProblemAssert.ErrorFields(problem).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("""{ "requests": 1.5 }""", "requests")]
    [InlineData("""{ "requests": 99999999999999999999 }""", "requests")]
    [InlineData("""{ "concurrency": 1e400 }""", "concurrency")]
    [InlineData("""{ "durationSeconds": "10" }""", "durationSeconds")]
    [InlineData("""{ "keepAlive": 1 }""", "keepAlive")]
    [InlineData("""{ "targets": "http://127.0.0.1:1/" }""", "targets")]
    [InlineData("""{ "targets": [{ "url": null }] }""", "targets[0].url")]
    [InlineData("""{ "method": "GET POST" }""", "method")]
    [InlineData("""{ "requests": 1, "requests": 2 }""", "requests")]
    [InlineData("""{ "arrowOutput": "x.arrow" }""", "arrowOutput")]
    public async Task PostPlan_OneBadValue_NamedWithItsValue(string plan, string field)
    {
        var problem = await PostAsync("api/tests", plan, HttpStatusCode.BadRequest);

        Assert.Contains(field, ProblemAssert.ErrorFields(problem));
    }

    [Fact]
    public async Task PostPlan_ControlCharactersInKeysAndValues_EscapedOneLineEach()
    {
        // Raw line breaks, terminal escapes and bidi overrides from a plan never reach a message (found by fuzzing).
        var problem = await PostAsync("api/tests", """
            { "requests": 1, "targets": [{ "url": "http://127.0.0.1:1/" }],
              "httpVersion": "1\n\u001b[2J", "thresholds": ["\u001bp99_ms < 1"], "a\u2028b": 1, "x\u202e": 2 }
            """, HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors");
        Assert.Equal("\"1\\u000A\\u001B[2J\" must be \"1.1\" or \"2\"", Single(errors, "httpVersion"));
        Assert.StartsWith("\"\\u001Bp99_ms < 1\" is not a threshold", Single(errors, "thresholds[0]"), StringComparison.Ordinal);
        Assert.Contains("a\\u2028b", ProblemAssert.ErrorFields(problem));
        Assert.Contains("x\\u202E", ProblemAssert.ErrorFields(problem));
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.DoesNotContain(detail, c => char.IsControl(c) || c is '\u2028' or '\u202E');
    }

    private async Task<JsonElement> PostAsync(string route, string plan, HttpStatusCode expected)
    {
        using var http = orchestrator.CreateClient();
        using var content = new StringContent(plan, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(route, content);
        return await ProblemAssert.IsProblemAsync(response, expected);
    }

    private static string Single(JsonElement errors, string field) => Assert.Single(errors.GetProperty(field).EnumerateArray()).GetString()!;
}
