using System.Diagnostics;

namespace Kukai.Toml.Parsing;

/// <summary>
/// A one-pass recursive-descent reader for TOML 1.0.0. It works on the decoded text with an index, keeps the
/// current line number and line start, and computes columns only when a position is needed (values, keys and
/// errors), caching the last one so that a long line is never rescanned from its start.
/// This partial file holds the document loop, positions, errors, whitespace, newlines and comments; keys and
/// tables, values, strings, numbers and date-times live in the other parts. Not thread-safe: one instance per
/// document.
/// </summary>
internal sealed partial class TomlParser
{
    private readonly string _text;
    private readonly string? _fileName;
    private readonly TomlTable _root;

    /// <summary>The table that key/value lines go into: the root, or the table of the last header.</summary>
    private TomlTable _section;
    private int _pos;
    private int _line = 1;
    private int _lineStart;
    private int _columnCacheIndex;
    private int _columnCacheValue = 1;

    private TomlParser(string text, string? fileName)
    {
        _text = text;
        _fileName = fileName;
        _root = new TomlTable(1, 1, TableOrigin.Root, isInline: false);
        _section = _root;
    }

    private bool AtEnd => _pos >= _text.Length;

    public static TomlTable Parse(string text, string? fileName) => new TomlParser(text, fileName).ParseDocument();

    private TomlTable ParseDocument()
    {
        if (_text.Length > 0 && _text[0] == '\uFEFF')
        {
            // A byte order mark is not part of the first line: columns start after it.
            _pos = 1;
            _lineStart = 1;
            _columnCacheIndex = 1;
        }

        while (true)
        {
            SkipWhitespace();
            if (AtEnd)
            {
                return _root;
            }

            char c = _text[_pos];
            if (c == '[')
            {
                List<KeyPart> header = ParseTableHeader(out bool isArray);
                ExpectEndOfLine(() => isArray
                    ? $"array of tables header [[{TomlText.FormatKey(header)}]]"
                    : $"table header [{TomlText.FormatKey(header)}]");
            }
            else if (c is '#' or '\n' or '\r')
            {
                ExpectEndOfLine(static () => "a comment");
            }
            else
            {
                List<KeyPart> key = ParseKeyValue(_section, inline: false);
                ExpectEndOfLine(() => $"the value of '{TomlText.FormatKey(key)}'");
            }
        }
    }

    /// <summary>
    /// Ends an expression's line: optional whitespace and comment, then a newline or the end of the file.
    /// <paramref name="describe"/> names what the line held, for the error message only.
    /// </summary>
    private void ExpectEndOfLine(Func<string> describe)
    {
        SkipWhitespace();
        if (!AtEnd && _text[_pos] == '#')
        {
            SkipComment();
        }

        if (AtEnd)
        {
            return;
        }

        char c = _text[_pos];
        if (c == '\n')
        {
            NewLine(_pos);
            _pos++;
        }
        else if (c == '\r')
        {
            ExpectCrLf();
        }
        else
        {
            throw ErrorAt(_pos, $"expected a newline after {describe()}, found {Describe(_pos)}");
        }
    }

    /// <summary>Consumes the CRLF at <see cref="_pos"/>; a carriage return alone is an error.</summary>
    private void ExpectCrLf()
    {
        Debug.Assert(_text[_pos] == '\r');
        if (_pos + 1 >= _text.Length || _text[_pos + 1] != '\n')
        {
            throw ErrorAt(_pos, "a carriage return must be followed by a line feed (line endings are LF or CRLF)");
        }

        NewLine(_pos + 1);
        _pos += 2;
    }

    /// <summary>Records that the line feed at <paramref name="lineFeedIndex"/> ends the current line.</summary>
    private void NewLine(int lineFeedIndex)
    {
        _line++;
        _lineStart = lineFeedIndex + 1;
    }

    private void SkipWhitespace()
    {
        while (_pos < _text.Length && _text[_pos] is ' ' or '\t')
        {
            _pos++;
        }
    }

    /// <summary>Skips whitespace, comments and newlines: what may surround the elements of an array.</summary>
    private void SkipWhitespaceCommentsAndNewlines()
    {
        while (_pos < _text.Length)
        {
            switch (_text[_pos])
            {
                case ' ' or '\t':
                    _pos++;
                    break;
                case '\n':
                    NewLine(_pos);
                    _pos++;
                    break;
                case '\r':
                    ExpectCrLf();
                    break;
                case '#':
                    SkipComment();
                    break;
                default:
                    return;
            }
        }
    }

    /// <summary>Skips a comment up to (not including) its line ending; rejects control characters in it.</summary>
    private void SkipComment()
    {
        Debug.Assert(_text[_pos] == '#');
        _pos++;
        while (_pos < _text.Length)
        {
            char c = _text[_pos];
            if (c == '\n' || (c == '\r' && _pos + 1 < _text.Length && _text[_pos + 1] == '\n'))
            {
                return;
            }

            if (TomlText.IsForbiddenControl(c))
            {
                throw ErrorAt(_pos, $"{Describe(_pos)} is not allowed in a comment");
            }

            _pos += ScalarLength(_pos);
        }
    }

    /// <summary>
    /// Number of UTF-16 code units of the scalar value at <paramref name="index"/>: 2 for a surrogate pair,
    /// otherwise 1. An unpaired surrogate (possible only in a string given to <see cref="TomlReader.Parse"/>) is
    /// an error.
    /// </summary>
    private int ScalarLength(int index)
    {
        char c = _text[index];
        if (!char.IsSurrogate(c))
        {
            return 1;
        }

        if (char.IsHighSurrogate(c) && index + 1 < _text.Length && char.IsLowSurrogate(_text[index + 1]))
        {
            return 2;
        }

        throw ErrorAt(index, $"{Describe(index)} is not valid text");
    }

    /// <summary>The character at <paramref name="index"/>, or NUL past the end (lookahead only).</summary>
    private char CharAt(int index) => index < _text.Length ? _text[index] : '\0';

    private TextPosition Position() => PositionAt(_pos);

    /// <summary>Line and column of <paramref name="index"/>, which must be on the current line.</summary>
    private TextPosition PositionAt(int index)
    {
        Debug.Assert(index >= _lineStart, "positions are only computed on the current line");
        int from = _lineStart;
        int column = 1;
        if (_columnCacheIndex >= _lineStart && _columnCacheIndex <= index)
        {
            from = _columnCacheIndex;
            column = _columnCacheValue;
        }

        int end = Math.Min(index, _text.Length);
        for (int i = from; i < end; i++)
        {
            // A surrogate pair is one scalar value: count its high half only.
            if (!char.IsLowSurrogate(_text[i]))
            {
                column++;
            }
        }

        _columnCacheIndex = index;
        _columnCacheValue = column;
        return new TextPosition(_line, column);
    }

    private TomlException ErrorAt(int index, string reason) => Error(PositionAt(index), reason);

    private TomlException Error(TextPosition position, string reason) =>
        new(_fileName, position.Line, position.Column, reason);

    /// <summary>The character at <paramref name="index"/> in words, for "found ..." messages.</summary>
    private string Describe(int index)
    {
        if (index >= _text.Length)
        {
            return "end of file";
        }

        char c = _text[index];
        if (c == '\n' || (c == '\r' && CharAt(index + 1) == '\n'))
        {
            return "end of line";
        }

        if (c == '\t')
        {
            return "a tab";
        }

        if (c < 0x20 || (c >= 0x7F && c <= 0x9F))
        {
            return $"control character U+{(int)c:X4}";
        }

        if (char.IsHighSurrogate(c) && char.IsLowSurrogate(CharAt(index + 1)))
        {
            return $"'{_text.Substring(index, 2)}'";
        }

        if (char.IsSurrogate(c))
        {
            return $"unpaired surrogate U+{(int)c:X4}";
        }

        return $"'{c}'";
    }
}
