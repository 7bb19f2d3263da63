using Microsoft.Extensions.Logging;

namespace Kukai.Cli.Tests;

public sealed class CliLoggingTests
{
    [Theory]
    [InlineData(null, LogLevel.Information)]
    [InlineData("", LogLevel.Information)]
    [InlineData("debug", LogLevel.Debug)]
    [InlineData(" Warning ", LogLevel.Warning)]
    [InlineData("NONE", LogLevel.None)]
    public void Level_NameOrUnset_ThatLevel(string? value, LogLevel level)
    {
        Assert.Equal(level, CliLogging.Level(value));
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("99")]
    [InlineData("2")]
    public void Level_NotALevelName_UsageErrorListingTheNames(string value)
    {
        var ex = Assert.Throws<UsageException>(() => CliLogging.Level(value));

        Assert.Equal($"KUKAI_LOG_LEVEL: '{value}' must be one of Trace, Debug, Information, Warning, Error, Critical, None", ex.Message);
    }
}
