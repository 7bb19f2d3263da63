using Kukai.Cli.Config;
using Kukai.Engine.Plans;
using Kukai.TestSupport;

namespace Kukai.Cli.Tests.Security;

/// <summary>
/// Keys and values quoted in error messages cannot break the line or drive the terminal: control characters, line
/// separators and bidi overrides are shown as <c>\uXXXX</c> (found by the config fuzz run).
/// </summary>
public sealed class MessageEscapingTests
{
    [Theory]
    [InlineData("[load]\ntype = \"\\u001b[2Jred\"", "t.toml:2:8: load.type: \"\\u001B[2Jred\" is not a test type")]
    [InlineData("[load]\ntype = \"a\\u2028b\"", "t.toml:2:8: load.type: \"a\\u2028b\" is not a test type")]
    [InlineData("mode = \"com\\u0085mander\"", "t.toml:1:8: mode: \"com\\u0085mander\" must be")]
    [InlineData("\"a\\u202Eb\" = 1", "t.toml:1:1: a\\u202Eb: unknown key")]
    [InlineData("\"new\\nline\" = 1", "t.toml:1:1: new\\u000Aline: unknown key")]
    [InlineData("mode\u2028= 1", "t.toml:1:5: ")]
    public void Read_UnsafeCharactersInAMessage_Escaped(string toml, string expected)
    {
        var error = Assert.Throws<UsageException>(() => ConfigLoader.Read(toml, "t.toml"));

        var lines = error.Message.Split('\n');
        Assert.Contains(lines, l => l.StartsWith(expected, StringComparison.Ordinal));
        Assert.All(lines, l => Assert.DoesNotContain(l, c => char.IsControl(c) || c is '\u2028' or '\u202E'));
    }

    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("a\u001b[0mb", "a\\u001B[0mb")]
    [InlineData("tab\there", "tab\\u0009here")]
    [InlineData("\u2066x\u2069", "\\u2066x\\u2069")]
    [InlineData("already \\u001B escaped", "already \\u001B escaped")]
    [InlineData("wörld 日本 😀", "wörld 日本 😀")]
    public void OneLine_Text_UnsafeCharactersEscapedOthersKept(string text, string expected)
    {
        Assert.Equal(expected, PlanText.Printable(text));
    }

    [Fact]
    public async Task Run_ConfigWithEscapeSequence_PrintedEscaped()
    {
        using var dir = new TempDirectory();
        var config = dir.Write("esc.toml", "[load]\ntype = \"\\u001b]0;pwned\\u0007\"\n");

        var run = await KukaiProcess.RunAsync(TimeSpan.FromSeconds(60), ["run", "--config", config]);

        Assert.True(run.ExitCode == 2, run.Transcript());
        Assert.All(run.Stderr, l => Assert.DoesNotContain(l, char.IsControl));
        Assert.Contains(run.Stderr, l => l.StartsWith($"kukai: {config}:2:8: load.type: \"\\u001B]0;pwned\\u0007\" is not a test type", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Kukai_ArgumentWithEscapeSequence_PrintedEscaped()
    {
        var run = await KukaiProcess.RunAsync(TimeSpan.FromSeconds(60), ["target", "\u001b[2J"]);

        Assert.True(run.ExitCode == 2, run.Transcript());
        Assert.Contains("kukai target: unexpected argument '\\u001B[2J'", run.Stderr);
    }
}
