using System.Diagnostics;
using System.Text;

namespace Kukai.Toml.Parsing;

/// <summary>
/// The four string syntaxes. Multi-line strings drop a newline right after the opening delimiter, may hold up to
/// two delimiter characters right before the closing one, and read CRLF as LF. As TOML 1.0.0 says in prose,
/// a carriage return on its own is allowed inside multi-line strings and kept.
/// </summary>
internal sealed partial class TomlParser
{
    /// <summary>A single-line basic string <c>"..."</c>, escapes resolved.</summary>
    private string ParseBasicString()
    {
        Debug.Assert(_text[_pos] == '"');
        _pos++;
        int runStart = _pos;
        StringBuilder? sb = null;
        while (true)
        {
            if (AtEnd)
            {
                throw ErrorAt(_pos, "unterminated string: missing closing '\"'");
            }

            char c = _text[_pos];
            if (c == '"')
            {
                string value = sb is null
                    ? _text.Substring(runStart, _pos - runStart)
                    : sb.Append(_text, runStart, _pos - runStart).ToString();
                _pos++;
                return value;
            }

            if (c == '\\')
            {
                sb ??= new StringBuilder();
                sb.Append(_text, runStart, _pos - runStart);
                ReadEscape(sb);
                runStart = _pos;
            }
            else if (c == '\n' || (c == '\r' && CharAt(_pos + 1) == '\n'))
            {
                throw ErrorAt(_pos, "unterminated string: end of line before the closing '\"' (use \"\"\" for a multi-line string)");
            }
            else if (TomlText.IsForbiddenControl(c))
            {
                throw ErrorAt(_pos, $"{Describe(_pos)} must be escaped in a string");
            }
            else
            {
                _pos += ScalarLength(_pos);
            }
        }
    }

    /// <summary>A single-line literal string <c>'...'</c>: no escapes.</summary>
    private string ParseLiteralString()
    {
        Debug.Assert(_text[_pos] == '\'');
        _pos++;
        int start = _pos;
        while (true)
        {
            if (AtEnd)
            {
                throw ErrorAt(_pos, "unterminated literal string: missing closing \"'\"");
            }

            char c = _text[_pos];
            if (c == '\'')
            {
                _pos++;
                return _text.Substring(start, _pos - 1 - start);
            }

            if (c == '\n' || (c == '\r' && CharAt(_pos + 1) == '\n'))
            {
                throw ErrorAt(_pos, "unterminated literal string: end of line before the closing \"'\" (use ''' for a multi-line string)");
            }

            if (TomlText.IsForbiddenControl(c))
            {
                throw ErrorAt(_pos, $"{Describe(_pos)} is not allowed in a literal string");
            }

            _pos += ScalarLength(_pos);
        }
    }

    /// <summary>A multi-line basic string <c>"""..."""</c>, with escapes and line-ending backslashes.</summary>
    private string ParseMultilineBasicString()
    {
        TextPosition opened = Position();
        _pos += 3;
        SkipNewlineAfterOpeningDelimiter();
        var sb = new StringBuilder();
        while (true)
        {
            if (AtEnd)
            {
                throw Error(opened, "unterminated multi-line string: missing closing '\"\"\"'");
            }

            char c = _text[_pos];
            switch (c)
            {
                case '"':
                    if (TryCloseMultiline(sb, '"'))
                    {
                        return sb.ToString();
                    }

                    break;
                case '\\':
                    if (!TrySkipLineEndingBackslash())
                    {
                        ReadEscape(sb);
                    }

                    break;
                default:
                    AppendMultilineChar(sb, c, "must be escaped in a string");
                    break;
            }
        }
    }

    /// <summary>A multi-line literal string <c>'''...'''</c>: no escapes.</summary>
    private string ParseMultilineLiteralString()
    {
        TextPosition opened = Position();
        _pos += 3;
        SkipNewlineAfterOpeningDelimiter();
        var sb = new StringBuilder();
        while (true)
        {
            if (AtEnd)
            {
                throw Error(opened, "unterminated multi-line literal string: missing closing \"'''\"");
            }

            char c = _text[_pos];
            if (c == '\'')
            {
                if (TryCloseMultiline(sb, '\''))
                {
                    return sb.ToString();
                }
            }
            else
            {
                AppendMultilineChar(sb, c, "is not allowed in a literal string");
            }
        }
    }

    private void SkipNewlineAfterOpeningDelimiter()
    {
        if (CharAt(_pos) == '\n')
        {
            NewLine(_pos);
            _pos++;
        }
        else if (CharAt(_pos) == '\r' && CharAt(_pos + 1) == '\n')
        {
            NewLine(_pos + 1);
            _pos += 2;
        }
    }

    /// <summary>
    /// At a run of <paramref name="quote"/> characters: fewer than three are content; three to five close the
    /// string, the extra one or two being content; six or more cannot be read either way.
    /// </summary>
    private bool TryCloseMultiline(StringBuilder sb, char quote)
    {
        int run = 0;
        while (CharAt(_pos + run) == quote)
        {
            run++;
        }

        if (run < 3)
        {
            sb.Append(quote, run);
            _pos += run;
            return false;
        }

        if (run > 5)
        {
            throw ErrorAt(_pos + 5, $"too many {(quote == '"' ? "quotes" : "apostrophes")}: at most two may come right before the closing {new string(quote, 3)}");
        }

        sb.Append(quote, run - 3);
        _pos += run;
        return true;
    }

    /// <summary>Appends a character of a multi-line string body: newlines, tabs and text; rejects other controls.</summary>
    private void AppendMultilineChar(StringBuilder sb, char c, string controlReason)
    {
        if (c == '\n')
        {
            NewLine(_pos);
            sb.Append('\n');
            _pos++;
        }
        else if (c == '\r')
        {
            if (CharAt(_pos + 1) == '\n')
            {
                NewLine(_pos + 1);
                sb.Append('\n');
                _pos += 2;
            }
            else
            {
                sb.Append('\r');
                _pos++;
            }
        }
        else if (TomlText.IsForbiddenControl(c))
        {
            throw ErrorAt(_pos, $"{Describe(_pos)} {controlReason}");
        }
        else
        {
            int length = ScalarLength(_pos);
            sb.Append(_text, _pos, length);
            _pos += length;
        }
    }

    /// <summary>
    /// At a backslash in a multi-line basic string: when only whitespace follows it on its line, skips it and
    /// all whitespace and newlines up to the next other character.
    /// </summary>
    private bool TrySkipLineEndingBackslash()
    {
        int i = _pos + 1;
        while (CharAt(i) is ' ' or '\t')
        {
            i++;
        }

        bool lineEnd = CharAt(i) == '\n' || (CharAt(i) == '\r' && CharAt(i + 1) == '\n');
        if (!lineEnd)
        {
            return false;
        }

        while (i < _text.Length)
        {
            char c = _text[i];
            if (c is ' ' or '\t')
            {
                i++;
            }
            else if (c == '\n')
            {
                NewLine(i);
                i++;
            }
            else if (c == '\r' && CharAt(i + 1) == '\n')
            {
                NewLine(i + 1);
                i += 2;
            }
            else
            {
                break;
            }
        }

        _pos = i;
        return true;
    }

    /// <summary>Reads the escape sequence at the backslash at <see cref="_pos"/> into <paramref name="sb"/>.</summary>
    private void ReadEscape(StringBuilder sb)
    {
        Debug.Assert(_text[_pos] == '\\');
        int backslash = _pos;
        if (backslash + 1 >= _text.Length)
        {
            throw ErrorAt(backslash, "unterminated string: a backslash at the end of the file");
        }

        char e = _text[backslash + 1];
        switch (e)
        {
            case 'b': sb.Append('\b'); break;
            case 't': sb.Append('\t'); break;
            case 'n': sb.Append('\n'); break;
            case 'f': sb.Append('\f'); break;
            case 'r': sb.Append('\r'); break;
            case '"': sb.Append('"'); break;
            case '\\': sb.Append('\\'); break;
            case 'u':
                AppendUnicodeEscape(sb, backslash, 4);
                return;
            case 'U':
                AppendUnicodeEscape(sb, backslash, 8);
                return;
            case '\n':
            case '\r' when CharAt(backslash + 2) == '\n':
                throw ErrorAt(backslash, "a backslash at the end of a line is only allowed in a multi-line string");
            default:
                string shown = TomlText.IsForbiddenControl(e) || char.IsSurrogate(e)
                    ? $"\\ followed by {Describe(backslash + 1)}"
                    : $"\\{e}";
                throw ErrorAt(backslash, $"invalid escape '{shown}' in string (valid: \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX \\UXXXXXXXX)");
        }

        _pos += 2;
    }

    private void AppendUnicodeEscape(StringBuilder sb, int backslash, int digits)
    {
        int start = backslash + 2;
        long codePoint = 0;
        for (int i = 0; i < digits; i++)
        {
            char h = CharAt(start + i);
            if (start + i >= _text.Length || !char.IsAsciiHexDigit(h))
            {
                string shown = _text.Substring(backslash, Math.Min(start + i, _text.Length) - backslash);
                throw ErrorAt(backslash, $"invalid escape '{shown}': \\{_text[backslash + 1]} needs exactly {digits} hexadecimal digits");
            }

            codePoint = (codePoint * 16) + HexValue(h);
        }

        string escape = _text.Substring(backslash, 2 + digits);
        if (codePoint > 0x10FFFF)
        {
            throw ErrorAt(backslash, $"escape '{escape}' is beyond U+10FFFF, the largest Unicode code point");
        }

        if (codePoint is >= 0xD800 and <= 0xDFFF)
        {
            throw ErrorAt(backslash, $"escape '{escape}' is a surrogate code point, not a Unicode scalar value");
        }

        Span<char> utf16 = stackalloc char[2];
        int length = new Rune((int)codePoint).EncodeToUtf16(utf16);
        sb.Append(utf16[..length]);
        _pos = start + digits;
    }

    private static int HexValue(char h) => h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10;
}
