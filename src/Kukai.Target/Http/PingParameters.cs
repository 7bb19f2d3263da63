using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Kukai.Target.Http;

/// <summary>
/// The optional parameters of <c>/ping</c>: <c>delay_ms</c> (milliseconds to wait before answering,
/// 0–3 600 000, fractions allowed), <c>status</c> (the status code to answer with, 100–599), and at most one
/// misbehaviour (<see cref="PingFault"/>): <c>close=1</c>, <c>garbage=1</c> or <c>trickle_ms=N</c> (1–60 000 ms
/// between the bytes of the body).
/// </summary>
internal readonly record struct PingParameters(TimeSpan Delay, int Status, PingFault Fault = PingFault.None, TimeSpan TrickleInterval = default)
{
    /// <summary>Longest <c>delay_ms</c> accepted: one hour, the top of the latency histograms.</summary>
    public const int MaxDelayMs = 3_600_000;

    /// <summary>Longest <c>trickle_ms</c> accepted: a minute per byte.</summary>
    public const int MaxTrickleMs = 60_000;

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

        var fault = PingFault.None;
        var trickle = TimeSpan.Zero;
        if (!TryReadSwitch(query, "close", PingFault.Close, ref fault, out error)
            || !TryReadSwitch(query, "garbage", PingFault.Garbage, ref fault, out error))
        {
            return false;
        }

        if (QueryParameters.TryGetLast(query, "trickle_ms", out var rawTrickle))
        {
            var value = QueryParameters.Decode(rawTrickle);
            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) || ms is < 1 or > MaxTrickleMs)
            {
                error = Invariant($"bad query parameter trickle_ms={Echo(value)}: must be an integer number of milliseconds from 1 to {MaxTrickleMs}");
                return false;
            }

            if (!TrySetFault(ref fault, PingFault.Trickle, out error))
            {
                return false;
            }

            trickle = TimeSpan.FromMilliseconds(ms);
        }

        parameters = new PingParameters(delay, status, fault, trickle);
        return true;
    }

    // A switch parameter: 1 turns the fault on, 0 (or absence) leaves it off.
    private static bool TryReadSwitch(string query, string name, PingFault kind, ref PingFault fault, [NotNullWhen(false)] out string? error)
    {
        error = null;
        if (!QueryParameters.TryGetLast(query, name, out var raw))
        {
            return true;
        }

        var value = QueryParameters.Decode(raw);
        if (value is not "0" and not "1")
        {
            error = Invariant($"bad query parameter {name}={Echo(value)}: must be 1 (on) or 0 (off)");
            return false;
        }

        return value is "0" || TrySetFault(ref fault, kind, out error);
    }

    private static bool TrySetFault(ref PingFault fault, PingFault next, [NotNullWhen(false)] out string? error)
    {
        if (fault != PingFault.None)
        {
            error = "bad query parameters: close, garbage and trickle_ms exclude each other";
            return false;
        }

        fault = next;
        error = null;
        return true;
    }

    private static string Echo(ReadOnlySpan<char> value) =>
        value.Length <= MaxEchoedValueLength ? value.ToString() : string.Concat(value[..MaxEchoedValueLength], "...");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
