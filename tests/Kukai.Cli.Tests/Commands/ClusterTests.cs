using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Kukai.TestSupport;

namespace Kukai.Cli.Tests.Commands;

/// <summary>
/// The distributed system as whole processes: kafka-dev, target, orchestrator and drivers on 127.0.0.1. Counts
/// reconcile exactly with the target's counters; each driver's requests equal the plan.
/// </summary>
public sealed class ClusterTests
{
    [Theory]
    [InlineData(2, "tsunami", "\"delayMs\": 2, \"requests\": 400")]
    [InlineData(2, "avalanche", "\"concurrency\": 4, \"requests\": 2000")]
    [InlineData(8, "tsunami", "\"delayMs\": 5, \"requests\": 200")]
    [InlineData(8, "avalanche", "\"concurrency\": 2, \"requests\": 500")]
    public async Task Cluster_DriversRunATest_CountsReconcileExactly(int drivers, string type, string settings)
    {
        await using var cluster = await ClusterProcesses.StartAsync(drivers);
        var perDriver = long.Parse(settings[(settings.LastIndexOf(':') + 1)..].Trim(), CultureInfo.InvariantCulture);

        var id = await cluster.StartTestAsync($$"""{ "type": "{{type}}", {{settings}}, "targets": [{ "url": "{{cluster.Target.PingUrl}}" }] }""");
        var test = await cluster.WaitForEndAsync(id);

        Assert.Equal("completed", test.GetProperty("state").GetString());
        Assert.Equal("passed", test.GetProperty("verdict").GetString());
        var aggregate = test.GetProperty("stats").GetProperty("aggregate");
        var received = await cluster.Target.RequestsReceivedAsync();
        Assert.Equal(drivers * perDriver, aggregate.GetProperty("count").GetInt64());
        Assert.Equal(received, aggregate.GetProperty("sent").GetInt64());
        Assert.Equal(received, aggregate.GetProperty("count").GetInt64());
        var byDriver = test.GetProperty("stats").GetProperty("perDriver");
        Assert.Equal(drivers, byDriver.EnumerateObject().Count());
        foreach (var d in byDriver.EnumerateObject())
        {
            Assert.Equal(perDriver, d.Value.GetProperty("count").GetInt64());
            Assert.Equal(perDriver, test.GetProperty("progress").GetProperty(d.Name).GetProperty("completed").GetInt64());
        }

        // Per-second progress agrees with the final counts.
        var series = await cluster.Http.GetFromJsonAsync<JsonElement>($"api/tests/{id}/timeseries");
        var rows = series.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(drivers * perDriver, rows.Sum(r => r.GetProperty("completed").GetInt64()));
        foreach (var d in byDriver.EnumerateObject())
        {
            Assert.Equal(perDriver, rows.Where(r => r.GetProperty("driverId").GetString() == d.Name).Sum(r => r.GetProperty("sent").GetInt64()));
        }

        var summary = await cluster.SummaryAsync(id);
        Assert.Equal(drivers * perDriver, summary.GetProperty("aggregate").GetProperty("count").GetInt64());
        Assert.Equal(drivers * perDriver, summary.GetProperty("recordedRequests").GetInt64());
    }

    [Fact]
    public async Task Cluster_DriversJoinAndLeaveBetweenTests_NoRestartNeeded()
    {
        await using var cluster = await ClusterProcesses.StartAsync(2);
        var plan = $$"""{ "type": "tsunami", "delayMs": 5, "requests": 100, "targets": [{ "url": "{{cluster.Target.PingUrl}}" }] }""";

        var first = await cluster.WaitForEndAsync(await cluster.StartTestAsync(plan));
        Assert.Equal(2, first.GetProperty("drivers").GetArrayLength());

        await cluster.AddDriverAsync("driver-3");
        await cluster.WaitForIdleDriversAsync(3);
        var second = await cluster.WaitForEndAsync(await cluster.StartTestAsync(plan));
        Assert.Equal(3, second.GetProperty("drivers").GetArrayLength());
        Assert.Equal(300, second.GetProperty("stats").GetProperty("aggregate").GetProperty("count").GetInt64());

        // driver-1 leaves (stops cleanly): gone from the list, not lost; the next test runs on the two that remain.
        await cluster.Drivers[0].DisposeAsync();
        await cluster.WaitUntilAsync(async () => (await cluster.DriversAsync()).EnumerateArray().All(d => d.GetProperty("id").GetString() != "driver-1"), "driver-1 to leave the list");
        Assert.All((await cluster.DriversAsync()).EnumerateArray(), d => Assert.NotEqual("lost", d.GetProperty("state").GetString()));
        var third = await cluster.WaitForEndAsync(await cluster.StartTestAsync(plan));
        Assert.Equal(["driver-2", "driver-3"], third.GetProperty("drivers").EnumerateArray().Select(e => e.GetString()).Order());
        Assert.Equal("completed", third.GetProperty("state").GetString());
        Assert.Equal(200, third.GetProperty("stats").GetProperty("aggregate").GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task Cluster_DriverKilledMidTest_LostWithinSixSecondsAndTestPartial()
    {
        await using var cluster = await ClusterProcesses.StartAsync(2);
        var id = await cluster.StartTestAsync($$"""{ "type": "tsunami", "rps": 200, "durationSeconds": 14, "targets": [{ "url": "{{cluster.Target.PingUrl}}" }] }""");
        await cluster.WaitUntilAsync(async () => (await cluster.TestAsync(id)).GetProperty("stats").GetProperty("aggregate").GetProperty("count").GetInt64() > 200, "the test to be under way");

        var victim = cluster.Drivers[1];
        victim.Signal(KukaiProcess.SigKill);
        var killed = Stopwatch.StartNew();
        await cluster.WaitUntilAsync(async () => (await cluster.DriversAsync()).EnumerateArray().Any(d => d.GetProperty("id").GetString() == "driver-2" && d.GetProperty("state").GetString() == "lost"), "driver-2 to be lost", TimeSpan.FromSeconds(15));
        var lostAfter = killed.Elapsed;

        var test = await cluster.WaitForEndAsync(id);
        Assert.True(lostAfter <= TimeSpan.FromSeconds(6), $"lost after {lostAfter.TotalSeconds:0.0} s");
        Assert.Equal("completed", test.GetProperty("state").GetString());
        Assert.Equal("partial", test.GetProperty("verdict").GetString());
        var summary = await cluster.SummaryAsync(id);
        Assert.Equal(["driver-2"], summary.GetProperty("lostDrivers").EnumerateArray().Select(e => e.GetString()));
        Assert.True(summary.GetProperty("lostAt").TryGetProperty("driver-2", out _));
        Assert.Equal("partial", summary.GetProperty("verdict").GetString());
        Assert.True(summary.GetProperty("perDriver").GetProperty("driver-1").GetProperty("count").GetInt64() >= 2700);
    }

    [Fact]
    public async Task Cluster_KafkaBrokerDownAndRequestErrors_NoMetricLostOrCountedTwice()
    {
        await using var cluster = await ClusterProcesses.StartAsync(2);
        const long perDriver = 1600;
        var id = await cluster.StartTestAsync($$"""{ "type": "tsunami", "delayMs": 5, "requests": {{perDriver}}, "targets": [{ "url": "{{cluster.Target.PingUrl}}" }] }""");
        await cluster.WaitUntilAsync(async () => (await cluster.TestAsync(id)).GetProperty("state").GetString() == "running", "the test to run");

        // A broker down for 3 s, then produce and fetch errors, while the drivers report every second.
        await cluster.Kafka.WriteLineAsync("broker down 1");
        await cluster.Kafka.WaitForLineAsync(new("^ok broker 1 down"), TimeSpan.FromSeconds(10));
        await Task.Delay(TimeSpan.FromSeconds(3)); // the length of the outage, not a synchronisation
        await cluster.Kafka.WriteLineAsync("broker up 1");
        await cluster.Kafka.WriteLineAsync("errors produce 5");
        await cluster.Kafka.WriteLineAsync("errors fetch 5");

        var test = await cluster.WaitForEndAsync(id, TimeSpan.FromSeconds(180));
        var aggregate = test.GetProperty("stats").GetProperty("aggregate");
        var reason = test.TryGetProperty("reason", out var r) ? r.ToString() : "";
        Assert.True(
            test.GetProperty("state").GetString() == "completed" && aggregate.GetProperty("count").GetInt64() == 2 * perDriver,
            $"{test.GetProperty("state")}, {aggregate.GetProperty("count")} of {2 * perDriver} requests: {reason}\n{cluster.Orchestrator.Transcript()}");
        Assert.Equal(await cluster.Target.RequestsReceivedAsync(), aggregate.GetProperty("count").GetInt64());
        foreach (var d in test.GetProperty("stats").GetProperty("perDriver").EnumerateObject())
        {
            Assert.Equal(perDriver, d.Value.GetProperty("count").GetInt64());
        }

        var series = await cluster.Http.GetFromJsonAsync<JsonElement>($"api/tests/{id}/timeseries");
        Assert.Equal(2 * perDriver, series.GetProperty("rows").EnumerateArray().Sum(r => r.GetProperty("completed").GetInt64()));
    }

    [Fact]
    public async Task SeedRoutes_StartTestAndReportStats_SameDataAsTheApi()
    {
        await using var cluster = await ClusterProcesses.StartAsync(2);

        var id = await cluster.StartTestAsync($$"""{ "type": "avalanche", "concurrency": 2, "requests": 300, "targets": [{ "url": "{{cluster.Target.PingUrl}}" }] }""", route: "start-test");
        var viaApi = await cluster.WaitForEndAsync(id);
        var viaSeed = await cluster.Http.GetFromJsonAsync<JsonElement>("report-stats");

        Assert.Equal(id, viaSeed.GetProperty("id").GetString());
        Assert.Equal(viaApi.GetProperty("stats").GetRawText(), viaSeed.GetProperty("stats").GetRawText());
        Assert.Equal(viaApi.GetProperty("progress").GetRawText(), viaSeed.GetProperty("progress").GetRawText());
        Assert.Equal(600, viaSeed.GetProperty("stats").GetProperty("aggregate").GetProperty("count").GetInt64());
    }
}
