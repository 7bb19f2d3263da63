using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Kukai.Results.Arrow;
using Kukai.TestSupport;

namespace Kukai.Cli.Tests.Faults;

/// <summary>
/// The orchestrator killed with SIGKILL and started again on the same address and <c>--data-dir</c>: results on disk
/// survive, a test it was running is taken up again with exact results (its drivers send their reports again), or,
/// when its drivers are gone too, becomes <c>failed</c> with the reports it had applied; the drivers register with the
/// new orchestrator and run its tests.
/// </summary>
public sealed class OrchestratorRestartTests
{
    [Fact]
    public async Task Orchestrator_KilledWhileDriversIdle_RestartedDriversListedAndUsable()
    {
        await using var cluster = await FaultCluster.StartAsync(drivers: 2);
        var pids = cluster.Drivers.Select(d => d.Pid).ToList();

        await cluster.KillOrchestratorAsync();
        await cluster.RestartOrchestratorAsync();
        await cluster.WaitForIdleDriversAsync(2);
        var id = await cluster.StartTestAsync($$"""{ "type": "tsunami", "delayMs": 5, "requests": 200, "targets": [{ "url": "{{cluster.Target.PingUrl}}" }] }""");
        var test = await cluster.WaitForEndAsync(id);

        Assert.Equal("completed", test.GetProperty("state").GetString());
        Assert.Equal(400, test.GetProperty("stats").GetProperty("aggregate").GetProperty("count").GetInt64());
        Assert.Equal(await cluster.Target.RequestsReceivedAsync(), test.GetProperty("stats").GetProperty("aggregate").GetProperty("count").GetInt64());
        Assert.All(cluster.Drivers, d => Assert.False(d.HasExited, d.Transcript()));
        Assert.Equal(pids, cluster.Drivers.Select(d => d.Pid));
    }

    [Fact]
    public async Task Orchestrator_KilledMidTestAndRestarted_FinishedKeptInterruptedResumedExactlyAndANewTestRuns()
    {
        await using var cluster = await FaultCluster.StartAsync(drivers: 2);
        var ping = cluster.Target.PingUrl;
        var finishedId = await cluster.StartTestAsync($$"""{ "type": "tsunami", "delayMs": 5, "requests": 100, "targets": [{ "url": "{{ping}}" }] }""");
        Assert.Equal("completed", (await cluster.WaitForEndAsync(finishedId)).GetProperty("state").GetString());
        var finishedFiles = Hashes(cluster.ResultsFolder(finishedId));
        var percentilesBefore = await ExtraPercentilesAsync(cluster, finishedId);
        await cluster.ResetTargetAsync();

        // A test under way, with a checkpoint that holds some of its requests. It goes on while no orchestrator runs.
        var interruptedId = await cluster.StartTestAsync($$"""{ "type": "tsunami", "rps": 100, "requests": 1500, "recordRequests": true, "targets": [{ "url": "{{ping}}" }] }""");
        var folder = cluster.ResultsFolder(interruptedId);
        await cluster.WaitUntilAsync(() => Task.FromResult(CheckpointCount(folder) > 0), "a checkpoint with requests in it");
        Assert.False(File.Exists(Path.Combine(folder, "summary.json")), "summary.json exists before the test ended");

        await cluster.KillOrchestratorAsync();
        await cluster.RestartOrchestratorAsync();

        var finished = await cluster.TestAsync(finishedId);
        Assert.Equal("completed", finished.GetProperty("state").GetString());
        Assert.Equal(200, finished.GetProperty("stats").GetProperty("aggregate").GetProperty("count").GetInt64());
        Assert.Equal(finishedFiles, Hashes(cluster.ResultsFolder(finishedId)));

        // Any percentile of it can still be asked for: read from its histograms.json, exactly what the counters gave.
        Assert.Equal(percentilesBefore, await ExtraPercentilesAsync(cluster, finishedId));

        // The new orchestrator takes the interrupted test up: the drivers send their reports again, and every request
        // is counted once, as the target counted it.
        var resumed = await cluster.WaitForEndAsync(interruptedId);
        Assert.True(resumed.GetProperty("state").GetString() == "completed", resumed.ToString());
        Assert.Equal("passed", resumed.GetProperty("verdict").GetString());
        Assert.Equal(3000, resumed.GetProperty("stats").GetProperty("aggregate").GetProperty("count").GetInt64());
        Assert.Equal(await cluster.Target.RequestsReceivedAsync(), resumed.GetProperty("stats").GetProperty("aggregate").GetProperty("count").GetInt64());
        var summary = new ResultsFiles(folder).Summary();
        Assert.Equal("completed", summary.GetProperty("state").GetString());
        Assert.Equal(3000, summary.GetProperty("aggregate").GetProperty("count").GetInt64());
        Assert.False(File.Exists(Path.Combine(folder, "checkpoint.json")));
        Assert.False(File.Exists(Path.Combine(folder, "resume.json")));
        Assert.False(Directory.Exists(Path.Combine(folder, ".uploads")));
        using (var rows = ArrowFileReader.Open(Path.Combine(folder, "requests.arrow")))
        {
            Assert.Equal(3000, rows.CountRows()); // both drivers' rows, uploaded to the new orchestrator
        }

        // The drivers, released, take the next test.
        await cluster.WaitForIdleDriversAsync(2, TimeSpan.FromSeconds(60));
        await cluster.ResetTargetAsync();
        var nextId = await cluster.StartTestAsync($$"""{ "type": "tsunami", "delayMs": 5, "requests": 200, "targets": [{ "url": "{{ping}}" }] }""");
        var next = await cluster.WaitForEndAsync(nextId);
        Assert.Equal("completed", next.GetProperty("state").GetString());
        Assert.Equal(400, next.GetProperty("stats").GetProperty("aggregate").GetProperty("count").GetInt64());
        Assert.Equal(await cluster.Target.RequestsReceivedAsync(), next.GetProperty("stats").GetProperty("aggregate").GetProperty("count").GetInt64());
        Assert.All(cluster.Drivers, d => Assert.False(d.HasExited, d.Transcript()));
    }

    [Fact]
    public async Task Orchestrator_KilledMidTestWithItsDriversAndRestarted_InterruptedTestFailedWithWhatItHadApplied()
    {
        await using var cluster = await FaultCluster.StartAsync(drivers: 2);
        var interruptedId = await cluster.StartTestAsync($$"""{ "type": "tsunami", "rps": 100, "durationSeconds": 600, "targets": [{ "url": "{{cluster.Target.PingUrl}}" }] }""");
        var folder = cluster.ResultsFolder(interruptedId);
        await cluster.WaitUntilAsync(() => Task.FromResult(CheckpointCount(folder) > 0), "a checkpoint with requests in it");

        // Everything that knew the test is gone: the orchestrator, then the drivers (and the reports they kept).
        await cluster.KillOrchestratorAsync();
        var checkpointed = CheckpointCount(folder);
        foreach (var driver in cluster.Drivers)
        {
            driver.Signal(KukaiProcess.SigKill);
            await driver.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        await cluster.RestartOrchestratorAsync();

        // Taken up, then ended when no driver answers: failed, with what the orchestrator had applied before it was
        // killed (its journal of reports), which is at least what the last checkpoint held, and its histograms.
        var interrupted = await cluster.WaitForEndAsync(interruptedId);
        Assert.Equal("failed", interrupted.GetProperty("state").GetString());
        Assert.Equal("failed", interrupted.GetProperty("verdict").GetString());
        Assert.Contains("did not answer the restarted orchestrator", interrupted.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var count = interrupted.GetProperty("stats").GetProperty("aggregate").GetProperty("count").GetInt64();
        Assert.InRange(count, checkpointed, await cluster.Target.RequestsReceivedAsync());
        var summary = new ResultsFiles(folder).Summary();
        Assert.Equal("failed", summary.GetProperty("state").GetString());
        Assert.Equal(count, summary.GetProperty("aggregate").GetProperty("count").GetInt64());
        Assert.False(File.Exists(Path.Combine(folder, "checkpoint.json")));
        Assert.False(File.Exists(Path.Combine(folder, ".reports.journal")));
        using var percentiles = await cluster.Http.GetAsync($"api/tests/{interruptedId}?percentiles=99.99");
        Assert.Equal(HttpStatusCode.OK, percentiles.StatusCode);
    }

    // Every scope's extra latency and service-time percentiles of a test, as the API gives them.
    private static async Task<string> ExtraPercentilesAsync(FaultCluster cluster, string id)
    {
        var stats = (await cluster.Http.GetFromJsonAsync<JsonElement>($"api/tests/{id}?percentiles=12.5,99.99")).GetProperty("stats");
        var scopes = new List<(string Name, JsonElement Stats)> { ("aggregate", stats.GetProperty("aggregate")) };
        foreach (var group in new[] { "perDriver", "perTarget" })
        {
            scopes.AddRange(stats.GetProperty(group).EnumerateObject().Select(p => ($"{group}.{p.Name}", p.Value)));
        }

        Assert.Equal(4, scopes.Count); // the aggregate, two drivers, one target
        return string.Join("\n", scopes.Select(s =>
            $"{s.Name} {s.Stats.GetProperty("latencyMs").GetProperty("percentiles")} {s.Stats.GetProperty("serviceTimeMs").GetProperty("percentiles")}"));
    }

    private static long CheckpointCount(string folder)
    {
        var path = Path.Combine(folder, "checkpoint.json");
        if (!File.Exists(path))
        {
            return 0;
        }

        // Written to a temporary name and renamed: never read half-written.
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        return doc.RootElement.GetProperty("aggregate").GetProperty("count").GetInt64();
    }

    private static Dictionary<string, string> Hashes(string folder) =>
        Directory.EnumerateFiles(folder).ToDictionary(f => Path.GetFileName(f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));
}
