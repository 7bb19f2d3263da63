using System.Globalization;
using System.Text;

namespace Kukai.Toml.Parsing;

/// <summary>Character classes of the TOML grammar and how keys and values are named in error messages.</summary>
internal static class TomlText
{
    /// <summary>A character allowed in a bare key: A-Z a-z 0-9 _ -.</summary>
    public static bool IsBareKeyChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-';

    public static bool IsDigit(char c) => char.IsAsciiDigit(c);

    /// <summary>A control character that must not appear literally (tab is always allowed).</summary>
    public static bool IsForbiddenControl(char c) => (c < 0x20 && c != '\t') || c == 0x7F;

    /// <summary>
    /// True for characters that may continue a number or date-time token, so that finding one right after a
    /// complete token means the token itself is malformed (e.g. <c>0o78</c>, <c>1.2.3</c>, <c>1e5x</c>).
    /// </summary>
    public static bool ContinuesNumber(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or ':' or '+' or '-';

    /// <summary>A key as TOML would write it: bare when possible, otherwise a quoted basic string.</summary>
    public static string FormatKey(IReadOnlyList<KeyPart> parts, int count)
    {
        if (count == 1)
        {
            return FormatSegment(parts[0].Name);
        }

        var sb = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            if (i > 0)
            {
                sb.Append('.');
            }

            sb.Append(FormatSegment(parts[i].Name));
        }

        return sb.ToString();
    }

    public static string FormatKey(IReadOnlyList<KeyPart> parts) => FormatKey(parts, parts.Count);

    public static string FormatSegment(string name)
    {
        bool bare = name.Length > 0;
        foreach (char c in name)
        {
            if (!IsBareKeyChar(c))
            {
                bare = false;
                break;
            }
        }

        if (bare)
        {
            return name;
        }

        var sb = new StringBuilder(name.Length + 2);
        sb.Append('"');
        foreach (char c in name)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\t': sb.Append("\\t"); break;
                case '\r': sb.Append("\\r"); break;
                default:
                    if (c < 0x20 || c == 0x7F)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }

    /// <summary>"an integer", "a table", ...</summary>
    public static string WithArticle(TomlValue value)
    {
        string name = value.KindName;
        return (name[0] is 'a' or 'e' or 'i' or 'o' or 'u' ? "an " : "a ") + name;
    }
}
