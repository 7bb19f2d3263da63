using Kukai.TestSupport;

namespace Kukai.Cli.Tests.Commands;

/// <summary>The seed's <c>kukai_config.toml</c> runs as written (SPEC §2) against the target on its ports.</summary>
public sealed class SeedConfigTests
{
    [Fact]
    public async Task ConfigMode_SeedConfigAsWritten_RunsStandaloneAndReconciles()
    {
        var seed = Path.Combine(AppContext.BaseDirectory, "Seeds", "kukai_config.toml");
        Assert.True(File.Exists(seed), $"the seed config is copied from shared/seeds next to the repository: {seed}");

        // The seed names 127.0.0.1:8080 (HTTP) and 127.0.0.1:9090 (raw TCP): the target must listen exactly there.
        await using var target = await TargetProcess.StartAsync(tcp: true, listen: "127.0.0.1:8080", tcpPort: 9090);
        using var dir = new TempDirectory();

        var run = await KukaiProcess.RunAsync(TimeSpan.FromSeconds(90), ["--config", seed], workingDirectory: dir.Path);

        Assert.True(run.ExitCode == 0, run.Transcript());
        Assert.True(File.Exists(dir.File("kukai_metrics.arrow")), "arrow_output names the per-request file\n" + run.Transcript());
        var resultsRoot = Path.Combine(dir.Path, "kukai-results");
        var folder = Directory.GetDirectories(resultsRoot).Single();
        var summary = new ResultsFiles(folder).Summary();
        var perTarget = summary.GetProperty("perTarget");
        var http = perTarget.GetProperty("127.0.0.1:8080");
        var tcp = perTarget.GetProperty("127.0.0.1:9090");
        var metrics = await target.MetricsAsync();

        // rps 50 for 10 s, split 1:2 by weight between the two targets; every request answered.
        var count = summary.GetProperty("aggregate").GetProperty("count").GetInt64();
        Assert.InRange(count, 490, 500);
        Assert.Equal(count, summary.GetProperty("aggregate").GetProperty("ok").GetInt64());
        Assert.Equal(metrics.GetProperty("requestsReceived").GetInt64(), http.GetProperty("count").GetInt64());
        const int payloadBytes = 33; // "GET / HTTP/1.1\r\nHost: example\r\n\r\n"
        Assert.Equal(tcp.GetProperty("count").GetInt64() * payloadBytes, metrics.GetProperty("tcp").GetProperty("bytesReceived").GetInt64());
        Assert.True(tcp.GetProperty("count").GetInt64() > http.GetProperty("count").GetInt64(), "weight 2 beats weight 1");
    }
}
