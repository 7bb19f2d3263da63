using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kukai.Target.Tests.Testing;

namespace Kukai.Target.Tests;

public sealed partial class TargetServerMetricsTests
{
    [Fact]
    public async Task Metrics_Json_ReportsCountersAndIsNotCounted()
    {
        var time = new ManualTimeProvider();
        await using var server = await TestServers.StartAsync(time: time);
        using var client = TestServers.Client(server);
        (await client.GetAsync("/ping")).Dispose();
        (await client.GetAsync("/ping?status=503")).Dispose();
        (await client.PostAsync("/ping", new StringContent("12345"))).Dispose();
        (await client.GetAsync("/metrics")).Dispose();
        time.Advance(TimeSpan.FromSeconds(2.5));

        using var json = await GetJsonAsync(client, "/metrics");

        var root = json.RootElement;
        Assert.Equal(3, root.GetProperty("requestsReceived").GetInt64());
        Assert.Equal(3, root.GetProperty("responsesSent").GetInt64());
        Assert.Equal(0, root.GetProperty("requestsAborted").GetInt64());
        Assert.Equal(5, root.GetProperty("bytesReceived").GetInt64());
        Assert.Equal("{\"200\":2,\"503\":1}", root.GetProperty("statusCounts").GetRawText());
        Assert.Equal(0, root.GetProperty("inFlight").GetInt64());
        Assert.Equal(0, root.GetProperty("stalls").GetInt64());
        Assert.Equal("2030-01-01T00:00:00Z", root.GetProperty("startedAt").GetString());
        Assert.Equal(2.5, root.GetProperty("uptimeSeconds").GetDouble());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("tcp").ValueKind);
        Assert.Equal(3, server.Counters.RequestsReceived);
    }

    [Fact]
    public async Task Metrics_TcpEnabled_ReportsTcpCounters()
    {
        await using var server = await TestServers.StartAsync(TestServers.LoopbackOptions(tcp: true));
        using var client = TestServers.Client(server);

        using var json = await GetJsonAsync(client, "/metrics");

        var tcp = json.RootElement.GetProperty("tcp");
        foreach (var name in new[] { "connectionsAccepted", "connectionsOpen", "reads", "bytesReceived", "bytesSent" })
        {
            Assert.Equal(0, tcp.GetProperty(name).GetInt64());
        }
    }

    [Fact]
    public async Task Metrics_Prometheus_ParsesWithHelpAndTypeForEverySample()
    {
        await using var server = await TestServers.StartAsync(TestServers.LoopbackOptions(tcp: true));
        using var client = TestServers.Client(server);
        (await client.GetAsync("/ping")).Dispose();
        (await client.GetAsync("/ping?status=500")).Dispose();

        using var response = await client.GetAsync("/metrics?format=prometheus");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        var help = new HashSet<string>();
        var type = new Dictionary<string, string>();
        var samples = new Dictionary<string, double>();
        foreach (var line in text.TrimEnd('\n').Split('\n'))
        {
            var comment = CommentLine().Match(line);
            if (comment.Success)
            {
                if (comment.Groups[1].Value == "HELP")
                {
                    Assert.True(help.Add(comment.Groups[2].Value), $"duplicate HELP: {line}");
                }
                else
                {
                    Assert.Contains(comment.Groups[3].Value.Split(' ')[0], new[] { "counter", "gauge" });
                    type.Add(comment.Groups[2].Value, comment.Groups[3].Value);
                }

                continue;
            }

            var sample = SampleLine().Match(line);
            Assert.True(sample.Success, $"not a sample line: '{line}'");
            var name = sample.Groups[1].Value;
            Assert.Contains(name, help);
            Assert.True(type.ContainsKey(name), $"no TYPE before {name}");
            samples.Add(name + sample.Groups[2].Value, double.Parse(sample.Groups[3].Value, CultureInfo.InvariantCulture));
        }

        Assert.Equal(2, samples["kukai_target_requests_received_total"]);
        Assert.Equal(2, samples["kukai_target_responses_sent_total"]);
        Assert.Equal(1, samples["kukai_target_responses_total{code=\"200\"}"]);
        Assert.Equal(1, samples["kukai_target_responses_total{code=\"500\"}"]);
        Assert.Equal(0, samples["kukai_target_in_flight_requests"]);
        Assert.Equal(0, samples["kukai_target_tcp_connections_accepted_total"]);
        Assert.Equal("counter", type["kukai_target_requests_received_total"]);
        Assert.Equal("gauge", type["kukai_target_tcp_connections_open"]);
        Assert.Equal(2, server.Counters.RequestsReceived);
    }

    [Fact]
    public async Task Metrics_BadFormat_Returns400AndIsNotCounted()
    {
        await using var server = await TestServers.StartAsync();
        using var client = TestServers.Client(server);

        using var response = await client.GetAsync("/metrics?format=xml");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("bad query parameter format=xml: must be json or prometheus\n", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, server.Counters.RequestsReceived);
    }

    [Fact]
    public async Task MetricsReset_Post_ZeroesCountersAndReturnsTheirValues()
    {
        await using var server = await TestServers.StartAsync();
        using var client = TestServers.Client(server);
        for (var i = 0; i < 5; i++)
        {
            (await client.PostAsync("/ping", new StringContent("ab"))).Dispose();
        }

        using var response = await client.PostAsync("/metrics/reset", content: null);
        using var zeroed = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        using var after = await GetJsonAsync(client, "/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(5, zeroed.RootElement.GetProperty("requestsReceived").GetInt64());
        Assert.Equal(10, zeroed.RootElement.GetProperty("bytesReceived").GetInt64());
        Assert.Equal("{\"200\":5}", zeroed.RootElement.GetProperty("statusCounts").GetRawText());
        Assert.Equal(0, after.RootElement.GetProperty("requestsReceived").GetInt64());
        Assert.Equal(0, after.RootElement.GetProperty("responsesSent").GetInt64());
        Assert.Equal(0, after.RootElement.GetProperty("bytesReceived").GetInt64());
        Assert.Equal("{}", after.RootElement.GetProperty("statusCounts").GetRawText());
    }

    [Fact]
    public async Task MetricsReset_Get_Returns405AndKeepsCounters()
    {
        await using var server = await TestServers.StartAsync();
        using var client = TestServers.Client(server);
        (await client.GetAsync("/ping")).Dispose();

        using var response = await client.GetAsync("/metrics/reset");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("POST", response.Content.Headers.Allow.Single());
        Assert.Equal(1, server.Counters.RequestsReceived);
    }

    [Fact]
    public async Task Metrics_Http2_IsServed()
    {
        await using var server = await TestServers.StartAsync();
        using var client = TestServers.Client(server, HttpVersion.Version20);

        using var json = await GetJsonAsync(client, "/metrics");

        Assert.Equal(0, json.RootElement.GetProperty("requestsReceived").GetInt64());
    }

    private static async Task<JsonDocument> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    [GeneratedRegex(@"^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$")]
    private static partial Regex CommentLine();

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*=""[^""]*""\})? (-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)$")]
    private static partial Regex SampleLine();
}
