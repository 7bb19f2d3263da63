namespace Kukai.Cli.Tests.Faults;

/// <summary>
/// Every Kafka broker down for several seconds (kafka-dev's <c>broker down N</c>), while the drivers are idle and while
/// a test runs: nothing restarts, heartbeats resume, and a test's counts still reconcile exactly with the target's
/// (reports wait in each driver's outbox and arrive after the outage).
/// </summary>
/// <remarks>
/// The development cluster is librdkafka's mock: a broker taken down refuses connections and comes back with its data,
/// which is what a short outage of a real cluster looks like to clients (DEVELOPERS.md lists what the mock lacks).
/// </remarks>
public sealed class KafkaOutageTests
{
    /// <summary>How long the brokers stay down: longer than the 5 s heartbeat timeout. The fault's shape, not a wait.</summary>
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(7);

    [Fact]
    public async Task Kafka_AllBrokersDownWhileDriversIdle_HeartbeatsResumeAndATestRuns()
    {
        await using var cluster = await FaultCluster.StartAsync(drivers: 2);
        var pids = cluster.Drivers.Select(d => d.Pid).ToList();

        var (disconnected, states) = await cluster.OutageAsync(Outage);

        Assert.True(disconnected, "the orchestrator's health never said Kafka was down");
        Assert.DoesNotContain("lost", states);
        var seen = DateTimeOffset.UtcNow;
        await cluster.WaitUntilAsync(
            async () => (await cluster.DriversAsync()).EnumerateArray().Count(d => d.GetProperty("state").GetString() == "idle" && d.GetProperty("lastHeartbeat").GetDateTimeOffset() > seen) == 2,
            "heartbeats from both drivers after the outage");
        var id = await cluster.StartTestAsync($$"""{ "type": "tsunami", "delayMs": 5, "requests": 200, "targets": [{ "url": "{{cluster.Target.PingUrl}}" }] }""");
        var test = await cluster.WaitForEndAsync(id);

        Assert.Equal("completed", test.GetProperty("state").GetString());
        Assert.Equal("passed", test.GetProperty("verdict").GetString());
        Assert.Equal(400, test.GetProperty("stats").GetProperty("aggregate").GetProperty("count").GetInt64());
        Assert.Equal(await cluster.Target.RequestsReceivedAsync(), test.GetProperty("stats").GetProperty("aggregate").GetProperty("count").GetInt64());
        Assert.All(cluster.Drivers, d => Assert.False(d.HasExited, d.Transcript()));
        Assert.Equal(pids, cluster.Drivers.Select(d => d.Pid));
        Assert.False(cluster.Orchestrator.HasExited);
    }

    [Fact]
    public async Task Kafka_AllBrokersDownDuringTest_CountsReconcileExactlyAndNoDriverLost()
    {
        await using var cluster = await FaultCluster.StartAsync(drivers: 2);
        const long perDriver = 3000;
        var id = await cluster.StartTestAsync($$"""{ "type": "tsunami", "rps": 200, "requests": {{perDriver}}, "targets": [{ "url": "{{cluster.Target.PingUrl}}" }] }""");
        await cluster.WaitUntilAsync(async () => (await cluster.TestAsync(id)).GetProperty("stats").GetProperty("aggregate").GetProperty("count").GetInt64() > 400, "the test to be under way");

        var (disconnected, states) = await cluster.OutageAsync(Outage);
        var test = await cluster.WaitForEndAsync(id, TimeSpan.FromSeconds(180));

        Assert.True(disconnected, "the orchestrator's health never said Kafka was down");
        Assert.DoesNotContain("lost", states);
        Assert.Equal("completed", test.GetProperty("state").GetString());
        Assert.Equal("passed", test.GetProperty("verdict").GetString());
        Assert.Equal(0, test.GetProperty("lostDrivers").GetArrayLength());
        var aggregate = test.GetProperty("stats").GetProperty("aggregate");
        Assert.Equal(2 * perDriver, aggregate.GetProperty("count").GetInt64());
        Assert.Equal(await cluster.Target.RequestsReceivedAsync(), aggregate.GetProperty("count").GetInt64());
        foreach (var d in test.GetProperty("stats").GetProperty("perDriver").EnumerateObject())
        {
            Assert.Equal(perDriver, d.Value.GetProperty("count").GetInt64());
        }

        var summary = new Kukai.TestSupport.ResultsFiles(cluster.ResultsFolder(id));
        Assert.Equal(2 * perDriver, summary.TimeseriesRows().Sum(r => long.Parse(r[3], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.All(cluster.Drivers, d => Assert.False(d.HasExited, d.Transcript()));
        Assert.Equal(2, (await cluster.DriverStatesAsync()).Values.Count(s => s == "idle"));
    }
}
