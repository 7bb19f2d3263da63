namespace Kukai.Toml.Parsing;

/// <summary>Values: dispatch on the first character, arrays, inline tables, booleans and inf/nan.</summary>
internal sealed partial class TomlParser
{
    /// <summary>
    /// Arrays and inline tables nested deeper than this are rejected, so that a hostile document cannot
    /// exhaust the stack. TOML sets no limit; no real configuration comes near it.
    /// </summary>
    private const int MaxNesting = 128;

    private int _depth;

    private TomlValue ParseValue()
    {
        TextPosition position = Position();
        char c = CharAt(_pos);
        if (AtEnd)
        {
            throw ErrorAt(_pos, "expected a value, found end of file");
        }

        switch (c)
        {
            case '"':
                string basic = CharAt(_pos + 1) == '"' && CharAt(_pos + 2) == '"'
                    ? ParseMultilineBasicString()
                    : ParseBasicString();
                return new TomlString(basic, position.Line, position.Column);
            case '\'':
                string literal = CharAt(_pos + 1) == '\'' && CharAt(_pos + 2) == '\''
                    ? ParseMultilineLiteralString()
                    : ParseLiteralString();
                return new TomlString(literal, position.Line, position.Column);
            case '[':
                return ParseArray(position);
            case '{':
                return ParseInlineTable(position);
            case '+' or '-' or (>= '0' and <= '9'):
                return ParseNumberOrDateTime(position);
            case '.':
                throw ErrorAt(_pos, "a float needs a digit before the decimal point");
        }

        if (char.IsAsciiLetter(c) || c == '_')
        {
            return ParseWord(position);
        }

        throw ErrorAt(_pos, $"expected a value, found {Describe(_pos)}");
    }

    /// <summary><c>true</c>, <c>false</c>, <c>inf</c> and <c>nan</c>, each with an optional sign where TOML allows one.</summary>
    private TomlValue ParseWord(TextPosition position)
    {
        int start = _pos;
        while (_pos < _text.Length && (TomlText.IsBareKeyChar(_text[_pos]) || _text[_pos] is '+' or '.'))
        {
            _pos++;
        }

        string word = _text.Substring(start, _pos - start);
        switch (word)
        {
            case "true":
                return new TomlBoolean(true, position.Line, position.Column);
            case "false":
                return new TomlBoolean(false, position.Line, position.Column);
            case "inf" or "+inf":
                return new TomlFloat(double.PositiveInfinity, position.Line, position.Column);
            case "-inf":
                return new TomlFloat(double.NegativeInfinity, position.Line, position.Column);
            case "nan" or "+nan" or "-nan":
                return new TomlFloat(double.NaN, position.Line, position.Column);
        }

        string lower = word.ToLowerInvariant();
        string hint = lower is "true" or "false" or "inf" or "+inf" or "-inf" or "nan" or "+nan" or "-nan"
            ? $" (TOML is case-sensitive: write {lower})"
            : char.IsAsciiLetter(word[0]) ? " (strings must be quoted)" : string.Empty;
        throw Error(position, $"invalid value '{word}'{hint}");
    }

    private TomlArray ParseArray(TextPosition position)
    {
        EnterNesting();
        var array = new TomlArray(position.Line, position.Column, isArrayOfTables: false);
        _pos++;
        while (true)
        {
            SkipWhitespaceCommentsAndNewlines();
            if (CharAt(_pos) == ']')
            {
                _pos++;
                break;
            }

            if (AtEnd)
            {
                throw ErrorAt(_pos, $"unterminated array (opened at {position}): expected a value or ']', found end of file");
            }

            if (_text[_pos] == ',')
            {
                throw ErrorAt(_pos, "expected a value or ']' in array, found ','");
            }

            array.Add(ParseValue());
            SkipWhitespaceCommentsAndNewlines();
            if (AtEnd)
            {
                throw ErrorAt(_pos, $"unterminated array (opened at {position}): expected ',' or ']', found end of file");
            }

            char c = _text[_pos];
            if (c == ',')
            {
                _pos++;
            }
            else if (c == ']')
            {
                _pos++;
                break;
            }
            else
            {
                throw ErrorAt(_pos, $"expected ',' or ']' after an array element, found {Describe(_pos)}");
            }
        }

        _depth--;
        return array;
    }

    private TomlTable ParseInlineTable(TextPosition position)
    {
        EnterNesting();
        var table = new TomlTable(position.Line, position.Column, TableOrigin.Inline, isInline: true);
        _pos++;
        SkipWhitespace();
        if (CharAt(_pos) == '}')
        {
            _pos++;
        }
        else
        {
            while (true)
            {
                RejectInlineTableLineEnd(position);
                ParseKeyValue(table, inline: true);
                SkipWhitespace();
                RejectInlineTableLineEnd(position);
                char c = _text[_pos];
                if (c == '}')
                {
                    _pos++;
                    break;
                }

                if (c != ',')
                {
                    throw ErrorAt(_pos, $"expected ',' or '}}' in inline table, found {Describe(_pos)}");
                }

                int comma = _pos;
                _pos++;
                SkipWhitespace();
                if (CharAt(_pos) == '}')
                {
                    throw ErrorAt(comma, "a trailing comma is not allowed in an inline table");
                }
            }
        }

        Seal(table);
        _depth--;
        return table;
    }

    /// <summary>Inline tables must fit on one line (values inside them, such as arrays, may span lines).</summary>
    private void RejectInlineTableLineEnd(TextPosition opened)
    {
        if (AtEnd)
        {
            throw ErrorAt(_pos, $"unterminated inline table (opened at {opened}): found end of file");
        }

        if (_text[_pos] is '\n' or '\r' or '#')
        {
            throw ErrorAt(_pos, $"an inline table (opened at {opened}) must be on a single line: found {(_text[_pos] == '#' ? "a comment" : Describe(_pos))} before its closing '}}'");
        }
    }

    /// <summary>Closes an inline table for good, with the tables its dotted keys created inside it.</summary>
    private static void Seal(TomlTable table)
    {
        table.IsSealed = true;
        Stack<TomlTable>? pending = null;
        TomlTable? current = table;
        while (current is not null)
        {
            foreach (TomlValue value in current.Values)
            {
                if (value is TomlTable { IsSealed: false } child)
                {
                    child.IsSealed = true;
                    (pending ??= new Stack<TomlTable>()).Push(child);
                }
            }

            current = pending is { Count: > 0 } ? pending.Pop() : null;
        }
    }

    private void EnterNesting()
    {
        if (++_depth > MaxNesting)
        {
            throw ErrorAt(_pos, $"arrays and inline tables are nested more than {MaxNesting} levels deep");
        }
    }
}
