using Kukai.TestSupport;

namespace Kukai.Cli.Tests.Security;

/// <summary>
/// Secrets never reach error messages (SPEC §6), even when a command does not know the flag that carries one and
/// would otherwise echo its value as an unexpected argument.
/// </summary>
public sealed class SecretArgumentsTests
{
    private const string Secret = "s3cret-value-4c2a";

    [Theory]
    [InlineData(new[] { "target", "--token", Secret }, "kukai target: unexpected argument '***'")]
    [InlineData(new[] { "run", "--config", "x.toml", "--token=" + Secret }, "kukai run: unknown flag '--token=***'")]
    [InlineData(new[] { "target", "--kafka-config", "sasl.password=" + Secret }, "kukai target: unexpected argument 'sasl.password=***'")]
    [InlineData(new[] { "kafka-dev", "--api-key", Secret }, "kukai kafka-dev: unexpected argument '***'")]
    [InlineData(new[] { "report", "dir", "--password", Secret }, "kukai report: unexpected argument '***'")]
    public async Task Kukai_SecretGivenToACommandWithoutThatFlag_MaskedInTheError(string[] args, string expected)
    {
        var run = await KukaiProcess.RunAsync(TimeSpan.FromSeconds(60), args);

        Assert.True(run.ExitCode == 2, run.Transcript());
        Assert.Contains(expected, run.Stderr);
        Assert.DoesNotContain(run.Stderr.Concat(run.Stdout), l => l.Contains(Secret, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(new[] { "--token", "abcdef" }, "x 'abcdef' y abcdef", "x '***' y ***")]
    [InlineData(new[] { "--TOKEN=abcdef" }, "abcdef", "***")]
    [InlineData(new[] { "--db-password", "abcdef" }, "abcdef", "***")]
    [InlineData(new[] { "--kafka-config", "ssl.key.password=abcdef" }, "ssl.key.password=abcdef", "ssl.key.password=***")]
    [InlineData(new[] { "sasl.oauthbearer.client.secret=abcdef" }, "'abcdef'", "'***'")]
    [InlineData(new[] { "--token", "ab" }, "about 'ab' and ab", "about '***' and ab")]
    [InlineData(new[] { "--token" }, "--token", "--token")]
    [InlineData(new[] { "--id", "abcdef", "--listen", "x=abcdef" }, "abcdef", "abcdef")]
    public void Apply_SecretsAmongArguments_Masked(string[] args, string line, string expected)
    {
        Assert.Equal(expected, SecretMask.From(args, environmentToken: null).Apply(line));
    }

    [Fact]
    public void Apply_TokenFromEnvironment_Masked()
    {
        Assert.Equal("refused *** here", SecretMask.From([], "env-token-1").Apply("refused env-token-1 here"));
    }

    [Fact]
    public void Apply_SecretContainingAnother_MaskedWhole()
    {
        var mask = SecretMask.From(["--token", "abcd", "--password", "abcdabcd"], null);

        Assert.Equal("[***]", mask.Apply("[abcdabcd]"));
    }
}
