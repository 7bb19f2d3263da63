using Kukai.TestSupport;

namespace Kukai.Cli.Tests.Faults;

/// <summary>
/// Results folders that cannot be written: the process says so at once, in one line naming the flag and the path, with
/// the exit code of bad input, instead of running a test whose results it would lose. (Tests run as root here, where
/// permissions do not stop writes: a path under a regular file, and <c>/proc/self</c>, are folders nobody can write.)
/// And a run killed midway leaves no <c>summary.json</c>: only a finished run writes one.
/// </summary>
public sealed class DataDirFaultTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(90);

    [Theory]
    [InlineData("under-a-file")]
    [InlineData("/proc/self")]
    public async Task Orchestrator_DataDirNotWritable_ExitsWithOneLineNamingFlagAndPath(string where)
    {
        using var dir = new TempDirectory();
        var dataDir = Unwritable(dir, where);

        var orchestrator = await KukaiProcess.RunAsync(ExitTimeout, ["orchestrator", "--listen", "127.0.0.1:0", "--data-dir", dataDir]);

        Assert.True(orchestrator.ExitCode == 2, orchestrator.Transcript());
        var line = Assert.Single(orchestrator.Stderr, l => l.StartsWith("kukai:", StringComparison.Ordinal));
        Assert.StartsWith("kukai: --data-dir: ", line, StringComparison.Ordinal);
        Assert.Contains(dataDir, line, StringComparison.Ordinal);
        Assert.DoesNotContain(orchestrator.Stdout, l => l.StartsWith("kukai orchestrator listening", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("under-a-file")]
    [InlineData("/proc/self")]
    public async Task Run_OutNotWritable_ExitsWithOneLineNamingFlagAndPathBeforeAnyRequest(string where)
    {
        await using var target = await TargetProcess.StartAsync();
        using var dir = new TempDirectory();
        var config = dir.Write("test.toml", $$"""
            [load]
            requests = 10
            targets = [{ url = "{{target.PingUrl}}" }]
            """);
        var outDir = Unwritable(dir, where);

        var run = await KukaiProcess.RunAsync(ExitTimeout, ["run", "--config", config, "--out", outDir, "--quiet"]);

        Assert.True(run.ExitCode == 2, run.Transcript());
        var line = Assert.Single(run.Stderr);
        Assert.StartsWith("kukai: --out: ", line, StringComparison.Ordinal);
        Assert.Contains(outDir, line, StringComparison.Ordinal);
        Assert.Equal(0, await target.RequestsReceivedAsync());
    }

    [Fact]
    public async Task Run_KilledMidTest_LeavesNoSummaryThatLooksComplete()
    {
        await using var target = await TargetProcess.StartAsync();
        using var dir = new TempDirectory();
        var config = dir.Write("test.toml", $$"""
            [load]
            type = "tsunami"
            rps = 200
            duration_seconds = 60
            targets = [{ url = "{{target.PingUrl}}" }]
            """);
        var run = KukaiProcess.Start(["run", "--config", config, "--out", dir.File("out"), "--quiet"]);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (await target.RequestsReceivedAsync() < 200)
        {
            Assert.True(DateTime.UtcNow < deadline && !run.HasExited, run.Transcript());
            await Task.Delay(50);
        }

        run.Signal(KukaiProcess.SigKill);
        await run.WaitForExitAsync(ExitTimeout);

        Assert.True(Directory.Exists(dir.File("out")));
        Assert.False(File.Exists(Path.Combine(dir.File("out"), "summary.json")));
    }

    [Fact]
    public async Task Run_OutFolderHoldsEarlierResults_RefusedBeforeAnyRequestAndTheEarlierResultsKept()
    {
        await using var target = await TargetProcess.StartAsync();
        using var dir = new TempDirectory();
        var first = dir.Write("first.toml", $$"""
            [load]
            requests = 10
            targets = [{ url = "{{target.PingUrl}}" }]
            """);
        var second = dir.Write("second.toml", $$"""
            [load]
            requests = 3
            record_requests = false
            targets = [{ url = "{{target.PingUrl}}" }]
            """);
        var run = await KukaiProcess.RunAsync(ExitTimeout, ["run", "--config", first, "--out", dir.File("out"), "--quiet"]);
        Assert.True(run.ExitCode == 0, run.Transcript());
        var before = Directory.GetFiles(dir.File("out")).ToDictionary(f => f, File.ReadAllBytes);

        var again = await KukaiProcess.RunAsync(ExitTimeout, ["run", "--config", second, "--out", dir.File("out"), "--quiet"]);

        Assert.True(again.ExitCode == 2, again.Transcript());
        Assert.Equal($"kukai: --out: '{dir.File("out")}' is not empty: name a new or empty folder, so that no earlier results are overwritten", Assert.Single(again.Stderr));
        Assert.Equal(10, await target.RequestsReceivedAsync());
        Assert.Equal(before, Directory.GetFiles(dir.File("out")).ToDictionary(f => f, File.ReadAllBytes));
    }

    [Fact]
    public async Task Run_ArrowOutputNamedTwice_EachResultsFolderKeepsItsOwnRequests()
    {
        await using var target = await TargetProcess.StartAsync();
        using var dir = new TempDirectory();
        string Config(int requests) => dir.Write($"run-{requests}.toml", $$"""
            [load]
            requests = {{requests}}
            arrow_output = "metrics.arrow"
            targets = [{ url = "{{target.PingUrl}}" }]
            """);

        var first = await KukaiProcess.RunAsync(ExitTimeout, ["run", "--config", Config(30), "--out", dir.File("a"), "--quiet"], workingDirectory: dir.Path);
        var firstRequests = File.ReadAllBytes(Path.Combine(dir.File("a"), "requests.arrow"));
        Assert.Equal(firstRequests, File.ReadAllBytes(dir.File("metrics.arrow")));
        var second = await KukaiProcess.RunAsync(ExitTimeout, ["run", "--config", Config(5), "--out", dir.File("b"), "--quiet"], workingDirectory: dir.Path);

        Assert.True(first.ExitCode == 0 && second.ExitCode == 0, first.Transcript() + second.Transcript());
        Assert.Equal(firstRequests, File.ReadAllBytes(Path.Combine(dir.File("a"), "requests.arrow")));
        var secondRequests = File.ReadAllBytes(Path.Combine(dir.File("b"), "requests.arrow"));
        Assert.NotEqual(firstRequests, secondRequests);
        Assert.Equal(secondRequests, File.ReadAllBytes(dir.File("metrics.arrow")));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    private static string Unwritable(TempDirectory dir, string where) =>
        where == "under-a-file" ? Path.Combine(dir.Write("a-file", "not a folder"), "results") : where;
}
