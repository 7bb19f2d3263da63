using System.Globalization;
using System.Text;

namespace Kukai.Engine.Plans;

/// <summary>
/// Text from input (plan and config keys and values, arguments) as it appears in a message: characters that would
/// break the message's line or drive a terminal — control characters, line and paragraph separators, bidi overrides
/// — are written as <c>\uXXXX</c>, so each problem is one line however the input was written. The CLI uses it too.
/// </summary>
public static class PlanText
{
    /// <summary><paramref name="text"/> with every unsafe character escaped (idempotent).</summary>
    public static string Printable(string text)
    {
        if (!text.Any(IsUnsafe))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 16);
        foreach (var ch in text)
        {
            if (IsUnsafe(ch))
            {
                sb.Append("\\u").Append(((int)ch).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(ch);
            }
        }

        return sb.ToString();
    }

    /// <summary>A string value in quotes, its quotes and backslashes escaped, shortened past 60 characters.</summary>
    public static string Quote(string value)
    {
        var escaped = value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
        return escaped.Length <= 60 ? $"\"{escaped}\"" : $"\"{escaped[..57]}...\"";
    }

    private static bool IsUnsafe(char ch) =>
        char.IsControl(ch) || ch is '\u2028' or '\u2029' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
