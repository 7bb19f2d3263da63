using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kukai.Engine.Metrics;
using Kukai.Results;
using Kukai.TestSupport;

namespace Kukai.Cli.Tests.Commands;

/// <summary>
/// <c>kukai run</c> as a real process against a real <c>kukai target</c> process: counts reconcile exactly with the
/// target's counters, and results files are written.
/// </summary>
public sealed class RunCommandTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);

    [Theory]
    [InlineData("avalanche", "concurrency = 20\nrequests = 3000")]
    [InlineData("tsunami", "delay_ms = 2\nrequests = 600")]
    [InlineData("tsunami", "rps = 400\nduration_seconds = 2")]
    [InlineData("avalanche", "concurrency = 4\nrps = 300\nduration_seconds = 2")]
    public async Task Run_HttpTarget_CountsReconcileWithTarget(string type, string settings)
    {
        await using var target = await TargetProcess.StartAsync();
        using var dir = new TempDirectory();
        var config = dir.Write("test.toml", $$"""
            [load]
            type = "{{type}}"
            {{settings}}
            targets = [{ url = "{{target.PingUrl}}" }]
            """);

        var run = await KukaiProcess.RunAsync(RunTimeout, ["run", "--config", config, "--out", dir.File("out")]);

        Assert.True(run.ExitCode == 0, run.Transcript());
        var summary = new ResultsFiles(dir.File("out")).Summary();
        var aggregate = summary.GetProperty("aggregate");
        var count = aggregate.GetProperty("count").GetInt64();
        var received = await target.RequestsReceivedAsync();
        Assert.True(count > 0, run.Transcript());
        Assert.Equal(received, aggregate.GetProperty("sent").GetInt64());
        Assert.Equal(received, count);
        Assert.Equal(count, aggregate.GetProperty("ok").GetInt64());
        Assert.Equal("passed", summary.GetProperty("verdict").GetString());
        if (settings.Contains("requests", StringComparison.Ordinal))
        {
            var requests = long.Parse(settings[(settings.IndexOf("requests = ", StringComparison.Ordinal) + 11)..], CultureInfo.InvariantCulture);
            Assert.Equal(requests, count + aggregate.GetProperty("dropped").GetInt64());
        }

        AssertTimeseriesAddsUp(new ResultsFiles(dir.File("out")), count);
    }

    [Theory]
    [InlineData("avalanche", "concurrency = 8\nrequests = 2000", true)]
    [InlineData("tsunami", "delay_ms = 2\nrequests = 500", true)]
    [InlineData("avalanche", "concurrency = 4\nrequests = 300", false)]
    public async Task Run_TcpEchoTarget_BytesAndConnectionsReconcile(string type, string settings, bool keepAlive)
    {
        await using var target = await TargetProcess.StartAsync(tcp: true);
        using var dir = new TempDirectory();
        const string payload = "hello kukai\n";
        var config = dir.Write("test.toml", $$"""
            [load]
            type = "{{type}}"
            {{settings}}
            payload = "hello kukai\n"
            response_delimiter = "\n"
            keep_alive = {{(keepAlive ? "true" : "false")}}
            targets = [{ addr = "127.0.0.1", port = {{target.TcpPort}} }]
            """);

        var run = await KukaiProcess.RunAsync(RunTimeout, ["run", "--config", config, "--out", dir.File("out")]);

        Assert.True(run.ExitCode == 0, run.Transcript());
        var aggregate = new ResultsFiles(dir.File("out")).Summary().GetProperty("aggregate");
        var count = aggregate.GetProperty("count").GetInt64();
        var tcp = (await target.MetricsAsync()).GetProperty("tcp");
        Assert.Equal(count, aggregate.GetProperty("ok").GetInt64());
        Assert.Equal(count * payload.Length, tcp.GetProperty("bytesReceived").GetInt64());
        Assert.Equal(count * payload.Length, aggregate.GetProperty("bytesSent").GetInt64());
        Assert.Equal(count * payload.Length, aggregate.GetProperty("bytesReceived").GetInt64());
        if (!keepAlive)
        {
            Assert.Equal(count, tcp.GetProperty("connectionsAccepted").GetInt64());
        }
        else
        {
            Assert.True(tcp.GetProperty("connectionsAccepted").GetInt64() <= 64, tcp.ToString());
        }
    }

    [Fact]
    public async Task Run_TsunamiOf400At5Ms_TakesTwoSeconds()
    {
        await using var target = await TargetProcess.StartAsync();
        using var dir = new TempDirectory();
        var config = dir.Write("test.toml", $$"""
            [load]
            type = "tsunami"
            delay_ms = 5
            requests = 400
            targets = [{ url = "{{target.PingUrl}}" }]
            """);

        var run = await KukaiProcess.RunAsync(RunTimeout, ["run", "--config", config, "--out", dir.File("out")]);

        Assert.True(run.ExitCode == 0, run.Transcript());
        var summary = new ResultsFiles(dir.File("out")).Summary();
        Assert.Equal(400, summary.GetProperty("aggregate").GetProperty("count").GetInt64());
        Assert.Equal(400, await target.RequestsReceivedAsync());

        // The schedule is the behaviour under test: 400 starts 5 ms apart span 1.995 s, plus the last response.
        var duration = summary.GetProperty("durationSeconds").GetDouble();
        Assert.InRange(duration, 1.8, 2.2);
    }

    [Fact]
    public async Task Run_InterruptedTwiceWhileRequestsHang_AbandonsThemAndKeepsTheResults()
    {
        await using var target = await TargetProcess.StartAsync();
        using var dir = new TempDirectory();
        var config = dir.Write("test.toml", $$"""
            [load]
            concurrency = 2
            duration_seconds = 60
            timeout_ms = 60000
            targets = [{ url = "{{target.PingUrl}}?delay_ms=50000" }]
            """);
        await using var run = KukaiProcess.Start(["run", "--config", config, "--out", dir.File("out"), "--quiet"]);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (await target.RequestsReceivedAsync() < 2)
        {
            Assert.True(DateTime.UtcNow < deadline && !run.HasExited, run.Transcript());
            await Task.Delay(50);
        }

        // SIGTERM, which kukai treats as Ctrl+C: a process started in the background may have SIGINT ignored.
        run.Signal(KukaiProcess.SigTerm);
        await run.WaitForLineAsync(new Regex("^kukai: stopping: no new requests; waiting up to 60 s"), TimeSpan.FromSeconds(30), stderr: true);
        run.Signal(KukaiProcess.SigTerm);
        await run.WaitForLineAsync(new Regex("^kukai: abandoning the requests in flight"), TimeSpan.FromSeconds(30), stderr: true);
        var exit = await run.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(exit == 0, run.Transcript());
        Assert.Contains(run.Stdout, l => l.Contains("stopped: stopped by the user", StringComparison.Ordinal));
        var summary = new ResultsFiles(dir.File("out")).Summary();
        Assert.Equal("stopped", summary.GetProperty("state").GetString());
        var aggregate = summary.GetProperty("aggregate");
        Assert.Equal(2, aggregate.GetProperty("sent").GetInt64());
        Assert.Equal(2, aggregate.GetProperty("count").GetInt64());
        Assert.Equal(2, aggregate.GetProperty("errors").GetProperty("timeout").GetInt64());
    }

    [Fact]
    public async Task Run_TargetStallingHalfASecondEveryTwo_IntendedStartLatencyShowsTheStall()
    {
        await using var target = await TargetProcess.StartAsync(extra: ["--stall-ms", "500", "--stall-every-ms", "2000"]);
        using var dir = new TempDirectory();
        var config = dir.Write("test.toml", $$"""
            [load]
            type = "tsunami"
            rps = 1000
            duration_seconds = 8
            targets = [{ url = "{{target.PingUrl}}" }]
            """);

        var run = await KukaiProcess.RunAsync(RunTimeout, ["run", "--config", config, "--out", dir.File("out")]);

        Assert.True(run.ExitCode == 0, run.Transcript());
        var aggregate = new ResultsFiles(dir.File("out")).Summary().GetProperty("aggregate");
        var latency = aggregate.GetProperty("latencyMs");
        var service = aggregate.GetProperty("serviceTimeMs");
        var detail = $"latency {latency}\nservice {service}\n{run.Transcript()}";

        // A quarter of the requests arrive during a freeze and wait 0..500 ms for its end: p90 ≈ 300, p99 ≈ 480.
        Assert.InRange(latency.GetProperty("p90").GetDouble(), 240, 360);
        Assert.InRange(latency.GetProperty("p99").GetDouble(), 440, 520);

        // Measured from the actual send, most requests look fast: the stall hides from service time.
        Assert.True(service.GetProperty("p90").GetDouble() < 50, detail);
        Assert.True(aggregate.GetProperty("late").GetInt64() > 0, detail);
        Assert.Equal(await target.RequestsReceivedAsync(), aggregate.GetProperty("sent").GetInt64());

        // In a freeze all 64 connections are busy within 64 ms; what falls due after that waits for one. The summary
        // says so, and what to change (the console may wrap the note).
        Assert.True(aggregate.GetProperty("lateConnectionsBusy").GetInt64() > 0, detail);
        Assert.Contains(run.Stdout, l => Regex.IsMatch(l, @"^\[\s*\d+s\] .* [\d,]+ late \([\d,]+ on busy connections\), [\d,]+ dropped$")); // live, each second
        var printed = Regex.Replace(string.Join(" ", run.Stdout), @"\s+", " ");
        Assert.Contains(
            "request(s) left late because every connection was busy: the target answered too slowly for connections = 64 per driver",
            printed,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_RefusedSlowAndFailingTargets_CountedAsErrorsOfTheirKind()
    {
        await using var target = await TargetProcess.StartAsync();
        using var dir = new TempDirectory();
        var refusedPort = FreePort();
        var slow = new Uri(target.BaseAddress, "/ping?delay_ms=3000");
        var failing = new Uri(target.BaseAddress, "/ping?status=500");
        var config = dir.Write("test.toml", $$"""
            [load]
            type = "avalanche"
            concurrency = 3
            duration_seconds = 1.5
            timeout_ms = 200
            targets = [
              { url = "http://127.0.0.1:{{refusedPort}}/ping" },
              { url = "{{slow}}" },
              { url = "{{failing}}" },
            ]
            """);

        var run = await KukaiProcess.RunAsync(RunTimeout, ["run", "--config", config, "--out", dir.File("out")]);

        Assert.True(run.ExitCode == 0, run.Transcript());
        var summary = new ResultsFiles(dir.File("out")).Summary();
        var perTarget = summary.GetProperty("perTarget");
        var refused = perTarget.GetProperty($"http://127.0.0.1:{refusedPort}/ping");
        Assert.True(refused.GetProperty("count").GetInt64() > 0);
        Assert.Equal(refused.GetProperty("count").GetInt64(), refused.GetProperty("errors").GetProperty("connect").GetInt64());
        var timedOut = perTarget.GetProperty(slow.ToString());
        Assert.True(timedOut.GetProperty("count").GetInt64() > 0);
        Assert.Equal(timedOut.GetProperty("count").GetInt64(), timedOut.GetProperty("errors").GetProperty("timeout").GetInt64());
        var failed = perTarget.GetProperty(failing.ToString());
        Assert.True(failed.GetProperty("count").GetInt64() > 0);
        Assert.Equal(failed.GetProperty("count").GetInt64(), failed.GetProperty("errors").GetProperty("http_5xx").GetInt64());
        Assert.Equal(0, summary.GetProperty("aggregate").GetProperty("ok").GetInt64());
        Assert.Contains(run.Stdout, l => l.Contains("! Every request failed: the latencies are those of failures.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_ThresholdFails_ExitCodeOneAndVerdictFailed()
    {
        await using var target = await TargetProcess.StartAsync();
        using var dir = new TempDirectory();
        var config = dir.Write("test.toml", $$"""
            [load]
            requests = 50
            thresholds = ["p99_ms < 100000", "count > 1000"]
            targets = [{ url = "{{target.PingUrl}}" }]
            """);

        var run = await KukaiProcess.RunAsync(RunTimeout, ["run", "--config", config, "--out", dir.File("out")]);

        Assert.True(run.ExitCode == 1, run.Transcript());
        var summary = new ResultsFiles(dir.File("out")).Summary();
        Assert.Equal("failed", summary.GetProperty("verdict").GetString());
        var thresholds = summary.GetProperty("thresholds").EnumerateArray().ToList();
        Assert.True(thresholds[0].GetProperty("passed").GetBoolean());
        Assert.False(thresholds[1].GetProperty("passed").GetBoolean());
    }

    [Fact]
    public async Task Run_Finished_WritesEveryResultsFile()
    {
        await using var target = await TargetProcess.StartAsync();
        using var dir = new TempDirectory();
        var config = dir.Write("test.toml", $$"""
            [load]
            requests = 200
            concurrency = 2
            targets = [{ url = "{{target.PingUrl}}" }]
            """);

        var run = await KukaiProcess.RunAsync(RunTimeout, ["run", "--config", config, "--out", dir.File("out")]);

        Assert.True(run.ExitCode == 0, run.Transcript());
        foreach (var name in new[] { "summary.json", "timeseries.csv", "latency.hgrm", "requests.arrow", "histograms.json", "report.html" })
        {
            Assert.True(File.Exists(Path.Combine(dir.File("out"), name)), $"{name} missing\n{run.Transcript()}");
        }

        Assert.Contains(run.Stdout, l => l.Contains(dir.File("out"), StringComparison.Ordinal));
        var summary = new ResultsFiles(dir.File("out")).Summary();
        foreach (var field in new[] { "testId", "plan", "startedAt", "endedAt", "drivers", "verdict", "lostDrivers", "aggregate", "perDriver", "perTarget" })
        {
            Assert.True(summary.TryGetProperty(field, out _), $"summary.json lacks {field}");
        }

        var latency = summary.GetProperty("aggregate").GetProperty("latencyMs");
        foreach (var stat in new[] { "min", "max", "mean", "stddev", "median", "mode", "p90", "p95", "p99", "p999" })
        {
            Assert.Equal(JsonValueKind.Number, latency.GetProperty(stat).ValueKind);
        }

        var hgrm = File.ReadAllText(Path.Combine(dir.File("out"), "latency.hgrm"));
        Assert.Contains("#[Max     =", hgrm, StringComparison.Ordinal);
        Assert.Contains("Total count    =          200]", hgrm, StringComparison.Ordinal);

        var histograms = HistogramsJson.Read(Path.Combine(dir.File("out"), "histograms.json"));
        Assert.Equal((200L, 200L), (histograms.Aggregate.Latency.Count, histograms.Aggregate.ServiceTime.Count));
        Assert.Equal(latency.GetProperty("max").GetDouble(), LatencySummary.Ms(histograms.Aggregate.Latency.Max));
    }

    private static void AssertTimeseriesAddsUp(ResultsFiles files, long count)
    {
        var rows = files.TimeseriesRows();
        Assert.NotEmpty(rows);
        Assert.Equal(count, rows.Sum(r => long.Parse(r[3], CultureInfo.InvariantCulture)));
        Assert.Equal(count, rows.Sum(r => long.Parse(r[2], CultureInfo.InvariantCulture)));
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
