using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Kukai.Target.Http;

/// <summary>
/// The optional parameters of <c>/ping</c>: <c>delay_ms</c> (milliseconds to wait before answering,
/// 0–3 600 000, fractions allowed) and <c>status</c> (the status code to answer with, 100–599).
/// </summary>
internal readonly record struct PingParameters(TimeSpan Delay, int Status)
{
    /// <summary>Longest <c>delay_ms</c> accepted: one hour, the top of the latency histograms.</summary>
    public const int MaxDelayMs = 3_600_000;

    private const int MaxEchoedValueLength = 64;

    /// <summary>No delay, status 200.</summary>
    public static PingParameters Default => new(TimeSpan.Zero, 200);

    /// <summary>
    /// Parses a raw query string. Unknown parameters are ignored; of repeated ones the last wins.
    /// On failure <paramref name="error"/> is one short line naming the parameter, its value and the rule.
    /// </summary>
    public static bool TryParse(string query, out PingParameters parameters, [NotNullWhen(false)] out string? error)
    {
        parameters = Default;
        error = null;
        if (query.Length == 0)
        {
            return true;
        }

        var delay = TimeSpan.Zero;
        if (QueryParameters.TryGetLast(query, "delay_ms", out var rawDelay))
        {
            var value = QueryParameters.Decode(rawDelay);
            if (!double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var ms)
                || !double.IsFinite(ms) || ms > MaxDelayMs)
            {
                error = Invariant($"bad query parameter delay_ms={Echo(value)}: must be a number of milliseconds from 0 to {MaxDelayMs}");
                return false;
            }

            delay = TimeSpan.FromMilliseconds(ms);
        }

        var status = 200;
        if (QueryParameters.TryGetLast(query, "status", out var rawStatus))
        {
            var value = QueryParameters.Decode(rawStatus);
            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out status) || status is < 100 or > 599)
            {
                error = Invariant($"bad query parameter status={Echo(value)}: must be an integer from 100 to 599");
                return false;
            }
        }

        parameters = new PingParameters(delay, status);
        return true;
    }

    private static string Echo(ReadOnlySpan<char> value) =>
        value.Length <= MaxEchoedValueLength ? value.ToString() : string.Concat(value[..MaxEchoedValueLength], "...");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
