using System.Text.Json;
using Kukai.Engine.Plans;

namespace Kukai.Engine.Tests.Plans;

public sealed class PlanJsonTests
{
    private static readonly LoadPlan Full = new()
    {
        Type = TestType.Tsunami,
        DelayMs = 0.25,
        Concurrency = 300,
        Connections = 12,
        Requests = 123_456_789_012,
        DurationSeconds = 90.5,
        TimeoutMs = 1500,
        Targets = [new TargetPlan { Url = "http://a:1/x?y=1", Weight = 2.5 }, new TargetPlan { Url = "https://b/" }],
        Payload = "{\"k\": \"v\"}\n",
        Method = "PUT",
        HttpVersion = "2",
        Insecure = true,
        Headers = [new("X-One", "1"), new("Authorization", "Bearer t")],
        Drivers = 4,
        Stages = [new StagePlan { DurationSeconds = 10, Rps = 100 }, new StagePlan { DurationSeconds = 2.5, Rps = 0 }],
        Thresholds = ["p99_ms < 250", "error_rate < 0.01"],
        RecordRequests = 0.125,
        ArrowOutput = "requests.arrow",
    };

    private static readonly LoadPlan Tcp = new()
    {
        Rps = 40,
        Concurrency = 3,
        DurationSeconds = 5,
        Targets = [new TargetPlan { Addr = "127.0.0.1", Port = 9000 }, new TargetPlan { Addr = "localhost", Port = 9001, Weight = 0.1 }],
        Payload = "ping\r\n",
        KeepAlive = false,
        ResponseDelimiter = "\n",
        Stages = [new StagePlan { DurationSeconds = 1, Rps = 10 }],
    };

    private static LoadPlan RoundTrip(LoadPlan plan)
    {
        using var doc = JsonDocument.Parse(PlanJson.ToJson(plan));
        var result = PlanJson.Read(doc.RootElement);
        Assert.True(result.IsValid, string.Join("\n", result.Issues));
        return result.Plan!;
    }

    [Fact]
    public void ToJson_ThenRead_EqualPlan()
    {
        Assert.Equal(Full, RoundTrip(Full));
        Assert.Equal(Tcp, RoundTrip(Tcp));
    }

    [Fact]
    public void ToJson_ThenRead_MinimalPlanEqual()
    {
        var plan = new LoadPlan { Requests = 1, Targets = [new TargetPlan { Url = "http://h/" }] };

        Assert.Equal(plan, RoundTrip(plan));
    }

    [Fact]
    public void ToJson_KeepAliveOff_RoundTrips()
    {
        var plan = new LoadPlan { Requests = 1, KeepAlive = false, Payload = "p", Targets = [new TargetPlan { Addr = "h", Port = 1 }] };

        Assert.False(RoundTrip(plan).KeepAlive);
    }

    [Fact]
    public void ToJson_CamelCaseKeys_UnsetOptionalsOmitted()
    {
        var json = PlanJson.ToJson(new LoadPlan { Requests = 7, Targets = [new TargetPlan { Url = "http://h/" }] });

        Assert.Equal(
            """{"type":"avalanche","requests":7,"timeoutMs":10000,"targets":[{"url":"http://h/","weight":1}],"method":"GET","recordRequests":1,"httpVersion":"1.1"}""",
            json);
    }

    [Fact]
    public void ToJson_Full_WritesCamelCaseNames()
    {
        using var doc = JsonDocument.Parse(PlanJson.ToJson(Full));
        var names = doc.RootElement.EnumerateObject().Select(p => p.Name).ToArray();

        Assert.Equal(
            ["type", "delayMs", "concurrency", "connections", "requests", "durationSeconds", "timeoutMs", "targets", "payload",
             "method", "headers", "drivers", "stages", "thresholds", "recordRequests", "httpVersion", "insecure", "arrowOutput"],
            names);
        Assert.Equal(10, doc.RootElement.GetProperty("stages")[0].GetProperty("durationSeconds").GetDouble());
    }

    [Fact]
    public void JsonConverter_InsideLargerDocument_RoundTrips()
    {
        var options = new JsonSerializerOptions { Converters = { new LoadPlanJsonConverter() } };

        var json = JsonSerializer.Serialize(new Dictionary<string, LoadPlan> { ["plan"] = Full }, options);
        var back = JsonSerializer.Deserialize<Dictionary<string, LoadPlan>>(json, options)!;

        Assert.Equal(Full, back["plan"]);
    }

    [Fact]
    public void JsonConverter_InvalidPlan_ThrowsJsonExceptionWithIssues()
    {
        var options = new JsonSerializerOptions { Converters = { new LoadPlanJsonConverter() } };

        var ex = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<LoadPlan>("""{ "rsp": 1 }""", options));

        Assert.Contains("rsp: unknown key (did you mean 'rps'?)", ex.Message, StringComparison.Ordinal);
    }
}
