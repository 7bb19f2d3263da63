using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Kukai.Cli;

/// <summary>
/// Logging for long-running roles: one line per event on stderr (stdout carries ready lines and results).
/// The level comes from <c>KUKAI_LOG_LEVEL</c> (Trace … Critical, None; default Information).
/// </summary>
public static class CliLogging
{
    /// <summary>The level a <c>KUKAI_LOG_LEVEL</c> value names (unset or empty: Information).</summary>
    /// <exception cref="UsageException">Not a level name (a number is not taken: 99 silenced every log).</exception>
    public static LogLevel Level(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return LogLevel.Information;
        }

        var names = Enum.GetNames<LogLevel>();
        var name = names.FirstOrDefault(n => string.Equals(n, value.Trim(), StringComparison.OrdinalIgnoreCase));
        return name is not null
            ? Enum.Parse<LogLevel>(name)
            : throw new UsageException($"KUKAI_LOG_LEVEL: '{value}' must be one of {string.Join(", ", names)}");
    }

    public static ILoggerFactory Create()
    {
        var level = Level(Environment.GetEnvironmentVariable("KUKAI_LOG_LEVEL"));
        return LoggerFactory.Create(builder => builder
            .SetMinimumLevel(level)
            .AddFilter("Microsoft", LogLevel.Warning)
            // The host's only errors are failures to start (e.g. a --listen address that cannot be bound): they are
            // thrown to the command, which reports them as one line; logged, they were a stack trace on one line.
            .AddFilter("Microsoft.Extensions.Hosting", LogLevel.None)
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
                o.UseUtcTimestamp = true;
                o.ColorBehavior = LoggerColorBehavior.Disabled;
            })
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
    }
}
