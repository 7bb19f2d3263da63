using System.Text.Json;
using Kukai.Engine.Plans;

namespace Kukai.Engine.Tests.Plans;

public sealed class PlanReaderTests
{
    private const string Target = """ "targets": [{ "url": "http://127.0.0.1:8080/ping" }] """;

    private static PlanReadResult ReadJson(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return PlanReader.Read(new JsonPlanNode(doc.RootElement.Clone()), PlanKeyStyle.CamelCase);
    }

    private static IReadOnlyList<string> Issues(string json) => [.. ReadJson(json).Issues.Select(i => i.ToString())];

    [Theory]
    [InlineData("5.0")]
    [InlineData("5e0")]
    [InlineData("0.5e1")]
    public void Read_JsonIntegralNumberForAnInteger_ReadAsTheInteger(string requests)
    {
        var result = ReadJson($$"""{ "requests": {{requests}}, "timeoutMs": 1e3, {{Target}} }""");

        Assert.Empty(result.Issues);
        Assert.Equal(5, result.Plan!.Requests);
        Assert.Equal(1000, result.Plan.TimeoutMs);
    }

    [Fact]
    public void Read_JsonRuleNamingOtherKeys_NamesThemInCamelCase()
    {
        Assert.Equal(
            ["delayMs: 5 and rps both set the tsunami gap: give one of them", "requests: is required, or durationSeconds (or stages): a test must end by itself"],
            Issues($$"""{ "type": "tsunami", "delayMs": 5, "rps": 10, {{Target}} }"""));
    }

    [Fact]
    public void Read_JsonRpsOfTheWrongTypeAndABadStage_BothReported()
    {
        Assert.Equal(
            ["rps: \"fast\" must be a number", "stages[0].durationSeconds: 0 must be > 0 and ≤ 604800"],
            Issues($$"""{ "rps": "fast", "stages": [{ "durationSeconds": 0, "rps": 5 }], {{Target}} }"""));
    }

    [Fact]
    public void Read_JsonFractionForAnInteger_IntegerError()
    {
        Assert.Equal(["requests: 5.5 must be an integer"], Issues($$"""{ "requests": 5.5, {{Target}} }"""));
    }

    [Fact]
    public void Read_ThousandsOfProblems_FirstHundredListedThenHowManyMore()
    {
        var keys = string.Join(", ", Enumerable.Range(0, 5000).Select(i => $"\"unknown{i}\": 1"));
        var targets = string.Join(", ", Enumerable.Range(0, 20_000).Select(_ => """{ "url": "ftp://x/" }"""));

        var issues = Issues($$"""{ {{keys}}, "requests": 1, "targets": [{{targets}}] }""");

        Assert.Equal(PlanReader.MaxIssues + 1, issues.Count);
        Assert.StartsWith("unknown0: unknown key", issues[0], StringComparison.Ordinal);
        Assert.Equal($"plan: and {5000 + 20_000 - PlanReader.MaxIssues} more problems (only the first 100 are listed)", issues[^1]);
    }

    [Fact]
    public void Read_FullCamelCasePlan_BindsEveryField()
    {
        var result = ReadJson("""
            {
              "type": "tsunami", "delayMs": 0.5, "concurrency": 500, "connections": 8, "requests": 1000,
              "durationSeconds": 30, "timeoutMs": 2500, "payload": "body", "method": "POST",
              "headers": { "X-A": "1", "X-B": "2" }, "drivers": 3, "thresholds": ["p99_ms < 250"],
              "recordRequests": 0.25, "httpVersion": "2", "insecure": true, "arrowOutput": "out.arrow",
              "targets": [{ "url": "http://a/", "weight": 3 }, { "url": "http://b/" }],
              "stages": [{ "durationSeconds": 5, "rps": 100 }, { "durationSeconds": 5, "rps": 0 }]
            }
            """);

        Assert.True(result.IsValid, string.Join("\n", result.Issues));
        var plan = result.Plan!;
        Assert.Equal(TestType.Tsunami, plan.Type);
        Assert.Equal(0.5, plan.DelayMs);
        Assert.Equal(500, plan.Concurrency);
        Assert.Equal(8, plan.Connections);
        Assert.Equal(1000, plan.Requests);
        Assert.Equal(30, plan.DurationSeconds);
        Assert.Equal(2500, plan.TimeoutMs);
        Assert.Equal("body", plan.Payload);
        Assert.Equal("POST", plan.Method);
        Assert.Equal([new("X-A", "1"), new("X-B", "2")], plan.Headers.ToArray());
        Assert.Equal(3, plan.Drivers);
        Assert.Equal(["p99_ms < 250"], plan.Thresholds.ToArray());
        Assert.Equal(0.25, plan.RecordRequests);
        Assert.Equal("2", plan.HttpVersion);
        Assert.True(plan.Insecure);
        Assert.Equal("out.arrow", plan.ArrowOutput);
        Assert.Equal([new TargetPlan { Url = "http://a/", Weight = 3 }, new TargetPlan { Url = "http://b/" }], plan.Targets.ToArray());
        Assert.Equal([new StagePlan { DurationSeconds = 5, Rps = 100 }, new StagePlan { DurationSeconds = 5, Rps = 0 }], plan.Stages.ToArray());
    }

    [Fact]
    public void Read_JsonNullForOptionalSettings_TreatedAsNotSet()
    {
        var result = ReadJson($$"""{ "requests": 5, "rps": null, "durationSeconds": null, "thresholds": null, {{Target}} }""");

        Assert.True(result.IsValid, string.Join("\n", result.Issues));
        Assert.Null(result.Plan!.Rps);
        Assert.Null(result.Plan.DurationSeconds);
        Assert.Empty(result.Plan.Thresholds);
    }

    [Fact]
    public void Read_TcpPlan_BindsTcpFields()
    {
        var plan = ReadJson("""
            { "requests": 5, "payload": "ping", "keepAlive": false, "responseDelimiter": "\n",
              "targets": [{ "addr": "127.0.0.1", "port": 9090, "weight": 0.5 }] }
            """).Plan!;

        Assert.False(plan.KeepAlive);
        Assert.Equal("\n", plan.ResponseDelimiter);
        Assert.Equal(new TargetPlan { Addr = "127.0.0.1", Port = 9090, Weight = 0.5 }, Assert.Single(plan.Targets));
    }

    [Fact]
    public void Read_Defaults_AreThoseOfLoadPlan()
    {
        var plan = ReadJson($$"""{ "requests": 1, {{Target}} }""").Plan!;

        Assert.Equal(TestType.Avalanche, plan.Type);
        Assert.Equal(LoadPlan.DefaultTimeoutMs, plan.TimeoutMs);
        Assert.Equal("GET", plan.Method);
        Assert.Equal("1.1", plan.HttpVersion);
        Assert.Equal(1.0, plan.RecordRequests);
        Assert.True(plan.KeepAlive);
        Assert.Null(plan.Concurrency);
    }

    [Fact]
    public void Read_UnknownKey_SuggestsNearest()
    {
        var result = ReadJson($$"""{ "rsp": 5, "requests": 1, {{Target}} }""");

        Assert.Null(result.Plan);
        var issue = Assert.Single(result.Issues);
        Assert.Equal("rsp", issue.Field);
        Assert.Null(issue.Location);
        Assert.Equal("unknown key (did you mean 'rps'?)", issue.Message);
    }

    [Fact]
    public void Read_SnakeCaseKeyInJson_SuggestsCamelCase()
    {
        var issue = Assert.Single(ReadJson($$"""{ "delay_ms": 5, "requests": 1, {{Target}} }""").Issues);

        Assert.Equal("unknown key (did you mean 'delayMs'?)", issue.Message);
    }

    [Fact]
    public void Read_UnknownKeyFarFromAll_ListsKnownKeys()
    {
        var issue = Assert.Single(ReadJson($$"""{ "zzzzzzzzzzzz": 5, "requests": 1, {{Target}} }""").Issues);

        Assert.StartsWith("unknown key (known keys: type, delayMs, rps, ", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ExcludedKey_IsUnknown()
    {
        using var doc = JsonDocument.Parse($$"""{ "drivers": 2, "requests": 1, {{Target}} }""");

        var result = PlanReader.Read(new JsonPlanNode(doc.RootElement), PlanKeyStyle.CamelCase, excludedKeys: ["drivers"]);

        Assert.StartsWith("unknown key", Assert.Single(result.Issues).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DuplicateKey_GivenTwice()
    {
        var issue = Assert.Single(ReadJson($$"""{ "requests": 1, "requests": 2, {{Target}} }""").Issues);

        Assert.Equal("requests: is given twice", issue.ToString());
    }

    [Fact]
    public void Read_WrongTypes_EveryOneReported()
    {
        var issues = Issues("""
            { "type": 5, "rps": "fast", "concurrency": 1.5, "requests": true, "timeoutMs": "10",
              "keepAlive": "yes", "method": 1, "targets": {}, "stages": 3, "headers": [], "thresholds": "p99_ms < 1",
              "recordRequests": "all", "drivers": 99999999999 }
            """);

        Assert.Equal(
            [
                "type: 5 must be a string",
                "rps: \"fast\" must be a number",
                "concurrency: 1.5 must be an integer",
                "requests: true must be an integer",
                "timeoutMs: \"10\" must be an integer",
                "keepAlive: \"yes\" must be true or false",
                "method: 1 must be a string",
                "targets: must be a list of targets, not an object",
                "stages: must be a list of { duration_seconds, rps } or { duration_seconds, concurrency }, not 3",
                "headers: must be a table of header names to values, not a list",
                "thresholds: must be a list of strings, not \"p99_ms < 1\"",
                "recordRequests: \"all\" must be true, false or a sampling fraction between 0 and 1",
                "drivers: 99999999999 is out of range for this setting",
            ],
            issues);
    }

    [Fact]
    public void Read_UnknownType_NamesTheChoices()
    {
        var issue = Assert.Single(ReadJson($$"""{ "type": "flood", "requests": 1, {{Target}} }""").Issues);

        Assert.Equal("type: \"flood\" is not a test type: use \"avalanche\" or \"tsunami\"", issue.ToString());
    }

    [Fact]
    public void Read_NotAnObject_SingleIssue()
    {
        var issue = Assert.Single(ReadJson("[1, 2]").Issues);

        Assert.Equal("plan: must be a table of plan settings, not a list", issue.ToString());
    }

    [Fact]
    public void Read_NotATableWithPrefix_NamedByPrefix()
    {
        using var doc = JsonDocument.Parse("5");

        var result = PlanReader.Read(new JsonPlanNode(doc.RootElement), PlanKeyStyle.SnakeCase, prefix: "load.");

        Assert.Equal("load: must be a table of plan settings, not 5", Assert.Single(result.Issues).ToString());
    }

    [Fact]
    public void Read_NestedTargetProblems_PathsWithIndex()
    {
        var issues = Issues("""
            { "requests": 1, "targets": [
                { "url": "http://a/" },
                { "url": "http://b/", "weight": "heavy", "wieght": 2 },
                "http://c/",
                { "addr": 1, "port": "80" } ] }
            """);

        Assert.Equal(
            [
                "targets[1].weight: \"heavy\" must be a number",
                "targets[1].wieght: unknown key (did you mean 'weight'?)",
                "targets[2]: must be a table like { url = \"http://127.0.0.1:8080/ping\" } or { addr = \"127.0.0.1\", port = 9090 }, not \"http://c/\"",
                "targets[3].addr: 1 must be a string",
                "targets[3].port: \"80\" must be an integer",
            ],
            issues);
    }

    [Fact]
    public void Read_NestedStageProblems_PathsInCamelCase()
    {
        var issues = Issues($$"""
            { {{Target}}, "stages": [
                { "durationSeconds": 5, "rps": 10 },
                { "rps": 20 },
                { "durationSeconds": "long", "concurrency": 2.5, "rsp": 1 },
                7 ] }
            """);

        Assert.Equal(
            [
                "stages[1].durationSeconds: is required",
                "stages[2].durationSeconds: \"long\" must be a number",
                "stages[2].concurrency: 2.5 must be an integer",
                "stages[2].rsp: unknown key (did you mean 'rps'?)",
                "stages[3]: must be a table { duration_seconds, rps } or { duration_seconds, concurrency }, not 7",
            ],
            issues);
    }

    [Fact]
    public void Read_HeaderAndThresholdItemProblems_PathsPerItem()
    {
        var issues = Issues($$"""
            { "requests": 1, {{Target}}, "headers": { "X-A": "1", "X-B": 2 }, "thresholds": ["p99_ms < 1", 5] }
            """);

        Assert.Equal(["headers.X-B: 2 must be a string", "thresholds[1]: 5 must be a string"], issues);
    }

    [Fact]
    public void Read_ValidationErrors_MappedToCamelCasePaths()
    {
        var issues = Issues("""
            { "type": "tsunami", "delayMs": -1, "timeoutMs": 0, "recordRequests": 3,
              "targets": [{ "url": "http://a/" }, { "url": "http://b/", "weight": 0 }],
              "stages": [{ "durationSeconds": 0, "rps": 5 }] }
            """);

        Assert.Equal(
            [
                "delayMs: -1 must be a number of milliseconds ≥ 0.0001 (10000000 requests/s) and ≤ 3600000 (fractions allowed)",
                "timeoutMs: 0 must be between 1 and 3600000",
                "targets[1].weight: 0 must be a number > 0",
                "stages[0].durationSeconds: 0 must be > 0 and ≤ 604800",
                "recordRequests: 3 must be true, false or a sampling fraction between 0 and 1",
            ],
            issues);
    }

    [Fact]
    public void Read_ValidationMessage_QuotesStringValues()
    {
        var issue = Assert.Single(ReadJson("""{ "requests": 1, "targets": [{ "url": "ftp://x/" }] }""").Issues);

        Assert.Equal("targets[0].url: \"ftp://x/\" must be an absolute http:// or https:// url with a host", issue.ToString());
    }

    [Fact]
    public void Read_Prefix_PrependedToEveryField()
    {
        using var doc = JsonDocument.Parse("""{ "rsp": 1, "targets": [] }""");

        var result = PlanReader.Read(new JsonPlanNode(doc.RootElement), PlanKeyStyle.SnakeCase, prefix: "load.");

        // The unknown key, then the rules the plan breaks (no bound, no target): every field carries the prefix.
        Assert.Equal(["load.rsp", "load.requests", "load.targets"], result.Issues.Select(i => i.Field));
    }

    [Theory]
    [InlineData("true", 1.0)]
    [InlineData("false", 0.0)]
    [InlineData("0.1", 0.1)]
    [InlineData("0", 0.0)]
    [InlineData("1", 1.0)]
    public void Read_RecordRequests_BoolOrFraction(string json, double expected)
    {
        var plan = ReadJson($$"""{ "requests": 1, {{Target}}, "recordRequests": {{json}} }""").Plan!;

        Assert.Equal(expected, plan.RecordRequests);
    }

    [Theory]
    [InlineData("\"1.1\"", "1.1")]
    [InlineData("1.1", "1.1")]
    [InlineData("2", "2")]
    [InlineData("\"2\"", "2")]
    public void Read_HttpVersion_StringOrNumber(string json, string expected)
    {
        var plan = ReadJson($$"""{ "requests": 1, {{Target}}, "httpVersion": {{json}} }""").Plan!;

        Assert.Equal(expected, plan.HttpVersion);
    }

    [Fact]
    public void Read_HttpVersionOtherNumber_ValidationNamesIt()
    {
        var issue = Assert.Single(ReadJson($$"""{ "requests": 1, {{Target}}, "httpVersion": 3 }""").Issues);

        Assert.Equal("httpVersion: 3 must be \"1.1\" or \"2\"", issue.ToString());
    }

    [Theory]
    [InlineData("delay_ms", "delayMs")]
    [InlineData("duration_seconds", "durationSeconds")]
    [InlineData("rps", "rps")]
    [InlineData("http_version", "httpVersion")]
    public void Spell_CamelCase_JoinsWords(string snake, string camel)
    {
        Assert.Equal(camel, PlanReader.Spell(snake, PlanKeyStyle.CamelCase));
        Assert.Equal(snake, PlanReader.Spell(snake, PlanKeyStyle.SnakeCase));
    }

    [Fact]
    public void SpellPath_CamelCase_KeepsIndexes()
    {
        Assert.Equal("targets[1].responseBytes", PlanReader.SpellPath("targets[1].response_bytes", PlanKeyStyle.CamelCase));
        Assert.Equal("stages[10].durationSeconds", PlanReader.SpellPath("stages[10].duration_seconds", PlanKeyStyle.CamelCase));
    }
}
