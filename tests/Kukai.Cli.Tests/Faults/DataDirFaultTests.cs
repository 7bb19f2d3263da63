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

    private static string Unwritable(TempDirectory dir, string where) =>
        where == "under-a-file" ? Path.Combine(dir.Write("a-file", "not a folder"), "results") : where;
}
