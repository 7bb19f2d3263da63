using System.Net.Http.Json;
using System.Text.Json;
using Kukai.TestSupport;

namespace Kukai.Cli.Tests.Faults;

/// <summary>
/// Load against a target that fails: it drops connections, answers garbage, trickles bytes (<c>kukai target</c>'s
/// <c>/ping?close=1</c>, <c>?garbage=1</c>, <c>?trickle_ms=N</c>) or dies (SIGKILL). Every request is counted once as an
/// error of the right kind, the run ends within its duration plus the timeout, and the verdict follows the thresholds;
/// for <c>kukai run</c> and for an orchestrated test.
/// </summary>
public sealed class TargetFaultTests
{
    private const int TimeoutMs = 1500;
    private const double DurationSeconds = 3;

    /// <summary>
    /// How much later than duration + timeout a run may end: a late start and the last interval's bookkeeping on a busy
    /// machine (a hang would take far longer).
    /// </summary>
    private const double EndSlackSeconds = 2;

    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Run_TargetMisbehaves_EachRequestCountedAsItsKindAndThresholdFails()
    {
        await using var target = await TargetProcess.StartAsync();
        using var dir = new TempDirectory();
        var config = dir.Write("test.toml", $$"""
            [load]
            type = "tsunami"
            rps = 200
            duration_seconds = {{DurationSeconds}}
            timeout_ms = {{TimeoutMs}}
            thresholds = ["error_rate < 0.01"]
            targets = [
              { url = "{{Url(target, "")}}" },
              { url = "{{Url(target, "close=1")}}" },
              { url = "{{Url(target, "garbage=1")}}" },
              { url = "{{Url(target, "trickle_ms=600")}}" },
            ]
            """);

        var run = await KukaiProcess.RunAsync(RunTimeout, ["run", "--config", config, "--out", dir.File("out"), "--quiet"]);

        Assert.True(run.ExitCode == 1, run.Transcript());
        var summary = new ResultsFiles(dir.File("out")).Summary();
        Assert.Equal("failed", summary.GetProperty("verdict").GetString());
        Assert.True(summary.GetProperty("durationSeconds").GetDouble() <= DurationSeconds + (TimeoutMs / 1000.0) + EndSlackSeconds, summary.GetProperty("durationSeconds").ToString());
        await AssertEachKindAsync(summary, target);
    }

    [Fact]
    public async Task Run_TargetKilledMidTest_ConnectErrorsAndTheRunEndsOnTime()
    {
        await using var target = await TargetProcess.StartAsync();
        using var dir = new TempDirectory();
        var config = dir.Write("test.toml", $$"""
            [load]
            type = "tsunami"
            rps = 200
            duration_seconds = {{DurationSeconds + 1}}
            timeout_ms = {{TimeoutMs}}
            thresholds = ["error_rate < 0.01"]
            targets = [{ url = "{{target.PingUrl}}" }]
            """);

        var run = KukaiProcess.Start(["run", "--config", config, "--out", dir.File("out"), "--quiet"]);
        await WaitUntilAsync(async () => await target.RequestsReceivedAsync() > 100, "the run to be under way", run);
        target.Process.Signal(KukaiProcess.SigKill);
        var exit = await run.WaitForExitAsync(RunTimeout);

        Assert.True(exit == 1, run.Transcript());
        var summary = new ResultsFiles(dir.File("out")).Summary();
        Assert.Equal("failed", summary.GetProperty("verdict").GetString());
        Assert.True(summary.GetProperty("durationSeconds").GetDouble() <= DurationSeconds + 1 + (TimeoutMs / 1000.0) + EndSlackSeconds, summary.GetProperty("durationSeconds").ToString());
        AssertTargetDied(summary.GetProperty("aggregate"));
    }

    [Fact]
    public async Task Cluster_TargetMisbehavesThenAnotherDies_ErrorsByKindAndTestsEndOnTime()
    {
        await using var cluster = await FaultCluster.StartAsync(drivers: 2);
        var target = cluster.Target;
        var targets = string.Join(", ", new[] { "", "close=1", "garbage=1", "trickle_ms=600" }.Select(q => $$"""{ "url": "{{Url(target, q)}}" }"""));

        var id = await cluster.StartTestAsync($$"""{ "type": "tsunami", "rps": 100, "durationSeconds": {{DurationSeconds}}, "timeoutMs": {{TimeoutMs}}, "thresholds": ["error_rate < 0.01"], "targets": [{{targets}}] }""");
        var test = await cluster.WaitForEndAsync(id);

        Assert.Equal("completed", test.GetProperty("state").GetString());
        Assert.Equal("failed", test.GetProperty("verdict").GetString());
        var summary = await cluster.Http.GetFromJsonAsync<JsonElement>($"api/tests/{id}/files/summary.json");
        Assert.True(summary.GetProperty("durationSeconds").GetDouble() <= DurationSeconds + (TimeoutMs / 1000.0) + EndSlackSeconds, summary.GetProperty("durationSeconds").ToString());
        await AssertEachKindAsync(summary, target);

        // A second target process, killed while the drivers load it.
        await using var doomed = await TargetProcess.StartAsync();
        var killedId = await cluster.StartTestAsync($$"""{ "type": "tsunami", "rps": 100, "durationSeconds": {{DurationSeconds + 1}}, "timeoutMs": {{TimeoutMs}}, "thresholds": ["error_rate < 0.01"], "targets": [{ "url": "{{doomed.PingUrl}}" }] }""");
        await cluster.WaitUntilAsync(async () => await doomed.RequestsReceivedAsync() > 100, "the test to be under way");
        doomed.Process.Signal(KukaiProcess.SigKill);
        var killed = await cluster.WaitForEndAsync(killedId);

        Assert.Equal("completed", killed.GetProperty("state").GetString());
        Assert.Equal("failed", killed.GetProperty("verdict").GetString());
        Assert.Equal(0, killed.GetProperty("lostDrivers").GetArrayLength());
        var killedSummary = await cluster.Http.GetFromJsonAsync<JsonElement>($"api/tests/{killedId}/files/summary.json");
        Assert.True(killedSummary.GetProperty("durationSeconds").GetDouble() <= DurationSeconds + 1 + (TimeoutMs / 1000.0) + EndSlackSeconds, killedSummary.GetProperty("durationSeconds").ToString());
        AssertTargetDied(killedSummary.GetProperty("aggregate"));
        Assert.All(cluster.Drivers, d => Assert.False(d.HasExited, d.Transcript()));
    }

    private static string Url(TargetProcess target, string query) => query.Length == 0 ? target.PingUrl : $"{target.PingUrl}?{query}";

    // Per target: the healthy one all ok, each misbehaving one all errors of its kind; totals equal the target's.
    private static async Task AssertEachKindAsync(JsonElement summary, TargetProcess target)
    {
        var perTarget = summary.GetProperty("perTarget");
        AssertAll(perTarget.GetProperty(Url(target, "")), null);
        AssertAll(perTarget.GetProperty(Url(target, "close=1")), "reset");
        AssertAll(perTarget.GetProperty(Url(target, "garbage=1")), "protocol");
        AssertAll(perTarget.GetProperty(Url(target, "trickle_ms=600")), "timeout");

        // Aborted requests are counted by the target once it sees the client go: wait until none is in flight.
        JsonElement metrics = default;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while ((metrics = await target.MetricsAsync()).GetProperty("inFlight").GetInt64() != 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the target still has requests in flight: {metrics}");
            await Task.Delay(50);
        }

        var aggregate = summary.GetProperty("aggregate");
        Assert.Equal(metrics.GetProperty("requestsReceived").GetInt64(), aggregate.GetProperty("sent").GetInt64());
        Assert.Equal(metrics.GetProperty("requestsReceived").GetInt64(), aggregate.GetProperty("count").GetInt64());
        Assert.Equal(metrics.GetProperty("responsesSent").GetInt64(), aggregate.GetProperty("ok").GetInt64());
        Assert.Equal(metrics.GetProperty("requestsAborted").GetInt64(), aggregate.GetProperty("count").GetInt64() - aggregate.GetProperty("ok").GetInt64());
    }

    private static void AssertAll(JsonElement stats, string? kind)
    {
        var count = stats.GetProperty("count").GetInt64();
        Assert.True(count > 0, stats.ToString());
        Assert.Equal(count, stats.GetProperty("sent").GetInt64());
        foreach (var error in stats.GetProperty("errors").EnumerateObject())
        {
            Assert.True(error.Value.GetInt64() == (error.Name == kind ? count : 0), $"{error.Name}: {stats}");
        }

        Assert.Equal(kind is null ? count : 0, stats.GetProperty("ok").GetInt64());
    }

    // Requests before the kill succeeded; later ones found the port closed (connect) or lost their connection
    // (reset); none went missing.
    private static void AssertTargetDied(JsonElement aggregate)
    {
        var count = aggregate.GetProperty("count").GetInt64();
        var errors = aggregate.GetProperty("errors");
        Assert.Equal(aggregate.GetProperty("sent").GetInt64(), count);
        Assert.True(aggregate.GetProperty("ok").GetInt64() > 100, aggregate.ToString());
        Assert.True(errors.GetProperty("connect").GetInt64() > 0, aggregate.ToString());
        Assert.Equal(count - aggregate.GetProperty("ok").GetInt64(), errors.GetProperty("connect").GetInt64() + errors.GetProperty("reset").GetInt64());
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, KukaiProcess watched)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline || watched.HasExited)
            {
                throw new TimeoutException($"waited in vain for {what}\n{watched.Transcript()}");
            }

            await Task.Delay(50);
        }
    }
}
