using System.Globalization;
using System.Text;

namespace Kukai.Cli;

/// <summary>
/// Text from input (config values, keys, arguments) shown in a message line: characters that would break the line
/// or drive the terminal — control characters (newlines, escape sequences), line and paragraph separators, bidi
/// overrides — are written as <c>\uXXXX</c>, so each message stays one line and prints what it says.
/// </summary>
public static class CliText
{
    /// <summary><paramref name="text"/> with every unsafe character escaped (idempotent).</summary>
    public static string OneLine(string text)
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

    private static bool IsUnsafe(char ch) =>
        char.IsControl(ch) || ch is '\u2028' or '\u2029' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
