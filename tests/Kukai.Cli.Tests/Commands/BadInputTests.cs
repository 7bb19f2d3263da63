using Kukai.TestSupport;

namespace Kukai.Cli.Tests.Commands;

/// <summary>Bad input gets one clear line on stderr and exit code 2 (SPEC §1), from the real process.</summary>
public sealed class BadInputTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(new[] { "run", "--config", "/nonexistent.toml" }, "--config: '/nonexistent.toml' does not exist")]
    [InlineData(new[] { "run", "--config", "x.toml", "--otu", "y" }, "unknown flag '--otu' (did you mean '--out'?)")]
    [InlineData(new[] { "run" }, "--config is required")]
    [InlineData(new[] { "target", "--listen", "127.0.0.1:99999" }, "--listen: '127.0.0.1:99999' has a bad port")]
    [InlineData(new[] { "target", "--stall-ms", "abc" }, "--stall-ms: 'abc' must be an integer")]
    [InlineData(new[] { "target", "--stall-ms", "500" }, "--stall-every-ms")]
    [InlineData(new[] { "frobnicate" }, "unexpected argument 'frobnicate'")]
    public async Task Kukai_BadInput_ExitCodeTwoWithOneClearLine(string[] args, string expected)
    {
        var run = await KukaiProcess.RunAsync(Timeout, args);

        Assert.True(run.ExitCode == 2, run.Transcript());
        Assert.Contains(run.Stderr, l => l.Contains(expected, StringComparison.Ordinal));
        Assert.DoesNotContain(run.Stderr, l => l.Contains("   at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_InvalidToml_ReportsFileLineAndColumn()
    {
        using var dir = new TempDirectory();
        var config = dir.Write("bad.toml", "[load]\nrps = 5\nrps = 6\n");

        var run = await KukaiProcess.RunAsync(Timeout, ["run", "--config", config]);

        Assert.True(run.ExitCode == 2, run.Transcript());
        Assert.Contains(run.Stderr, l => l.StartsWith($"kukai: {config}:3:1: duplicate key 'rps'", StringComparison.Ordinal));
    }
}
