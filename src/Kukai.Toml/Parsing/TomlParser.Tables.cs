namespace Kukai.Toml.Parsing;

/// <summary>
/// Keys, key/value pairs, table headers and TOML's rules on defining tables:
/// <list type="number">
/// <item>A key may be defined once per table (duplicate keys are errors).</item>
/// <item>A <c>[table]</c> may be defined once. Headers may pass through any table that is not an inline table,
/// and through an array of tables (into its last element); a table created only as the parent of a header
/// (implicit) may later be defined by its own header, once.</item>
/// <item>Dotted keys create tables and may extend tables created by dotted keys, or implicit ones (which then
/// count as defined by dotted keys), but never a table defined by a header, an inline table or an array. So a
/// dotted-key table can only be extended from the section that created it: reaching it from another section
/// means passing through that section's header-defined table.</item>
/// <item>A table created by dotted keys cannot later be defined by a <c>[table]</c> header, though headers may
/// define sub-tables inside it.</item>
/// <item><c>[[array]]</c> appends only to arrays created by <c>[[array]]</c>; array literals and inline
/// tables are immutable once closed.</item>
/// </list>
/// </summary>
internal sealed partial class TomlParser
{
    /// <summary>Parses <c>key = value</c> into <paramref name="table"/> and returns the key as written.</summary>
    private List<KeyPart> ParseKeyValue(TomlTable table, bool inline)
    {
        List<KeyPart> key = ParseKey();
        if (AtEnd || _text[_pos] != '=')
        {
            throw ErrorAt(_pos, $"expected '=' after key '{TomlText.FormatKey(key)}', found {Describe(_pos)}");
        }

        _pos++;
        SkipWhitespace();
        if (AtEnd || _text[_pos] is '\n' or '\r' or '#')
        {
            throw ErrorAt(_pos, $"missing value for key '{TomlText.FormatKey(key)}': found {Describe(_pos)} after '='");
        }

        TomlTable parent = ResolveDottedKey(table, key, inline);
        KeyPart last = key[^1];
        if (parent.TryGetKeyInfo(last.Name, out TomlKeyInfo first))
        {
            throw Error(last.Position, $"duplicate key '{TomlText.FormatKey(key)}' (first defined at {first.Line}:{first.Column})");
        }

        TomlValue value = ParseValue();
        parent.Add(last.Name, value, last.Position.Line, last.Position.Column);
        return key;
    }

    /// <summary>Parses a simple or dotted key and the whitespace after it.</summary>
    private List<KeyPart> ParseKey()
    {
        var parts = new List<KeyPart>(1);
        while (true)
        {
            parts.Add(ParseSimpleKey(afterDot: parts.Count > 0));
            SkipWhitespace();
            if (AtEnd || _text[_pos] != '.')
            {
                return parts;
            }

            _pos++;
            SkipWhitespace();
        }
    }

    private KeyPart ParseSimpleKey(bool afterDot)
    {
        TextPosition position = Position();
        char c = CharAt(_pos);
        if (!AtEnd && (c == '"' || c == '\''))
        {
            if (CharAt(_pos + 1) == c && CharAt(_pos + 2) == c)
            {
                throw ErrorAt(_pos, "a multi-line string cannot be used as a key");
            }

            string quoted = c == '"' ? ParseBasicString() : ParseLiteralString();
            return new KeyPart(quoted, position);
        }

        int start = _pos;
        while (_pos < _text.Length && TomlText.IsBareKeyChar(_text[_pos]))
        {
            _pos++;
        }

        if (_pos == start)
        {
            throw ErrorAt(_pos, afterDot
                ? $"expected a key after '.', found {Describe(_pos)}"
                : $"expected a key, found {Describe(_pos)}");
        }

        string name = _text.Substring(start, _pos - start);
        if (_pos < _text.Length && _text[_pos] > 0x7F)
        {
            throw ErrorAt(_pos, $"invalid character {Describe(_pos)} in bare key '{name}' "
                + "(bare keys may contain only A-Z, a-z, 0-9, '_' and '-'; quote other keys)");
        }

        return new KeyPart(name, position);
    }

    /// <summary>
    /// Walks (and creates) the tables named by all but the last part of a dotted key, starting at
    /// <paramref name="table"/>, and returns the table that receives the last part.
    /// </summary>
    private TomlTable ResolveDottedKey(TomlTable table, List<KeyPart> key, bool inline)
    {
        for (int i = 0; i < key.Count - 1; i++)
        {
            KeyPart part = key[i];
            if (table.TryGetValue(part.Name, out TomlValue? existing))
            {
                if (existing is TomlTable { IsSealed: false, Origin: TableOrigin.DottedKey or TableOrigin.Implicit } child)
                {
                    if (child.Origin == TableOrigin.Implicit)
                    {
                        // Defined from now on by this dotted key: a later [header] for it is a redefinition.
                        child.Origin = TableOrigin.DottedKey;
                        child.Line = part.Position.Line;
                        child.Column = part.Position.Column;
                    }

                    table = child;
                    continue;
                }

                throw DottedKeyConflict(key, i, existing, table.GetKeyInfo(part.Name));
            }

            var created = new TomlTable(part.Position.Line, part.Position.Column, TableOrigin.DottedKey, inline);
            table.Add(part.Name, created, part.Position.Line, part.Position.Column);
            table = created;
        }

        return table;
    }

    private TomlException DottedKeyConflict(List<KeyPart> key, int index, TomlValue existing, TomlKeyInfo info)
    {
        string whole = TomlText.FormatKey(key);
        string segment = TomlText.FormatKey(key, index + 1);
        string reason = existing switch
        {
            TomlTable { IsInline: true } t =>
                $"cannot add '{whole}': '{segment}' is an inline table (defined at {t.Line}:{t.Column}), and inline tables cannot be extended",
            TomlTable t =>
                $"cannot add '{whole}': table '{segment}' was defined by a table header at {t.Line}:{t.Column}, and dotted keys cannot extend it",
            TomlArray { IsArrayOfTables: true } =>
                $"cannot add '{whole}': '{segment}' is an array of tables (defined at {info.Line}:{info.Column}), and dotted keys cannot extend it",
            _ =>
                $"cannot add '{whole}': '{segment}' is already {TomlText.WithArticle(existing)} (defined at {info.Line}:{info.Column}), not a table",
        };
        return Error(key[index].Position, reason);
    }

    /// <summary>Parses <c>[a.b]</c> or <c>[[a.b]]</c>, defines the table and makes it the current section.</summary>
    private List<KeyPart> ParseTableHeader(out bool isArray)
    {
        TextPosition headerPosition = Position();
        isArray = CharAt(_pos + 1) == '[';
        _pos += isArray ? 2 : 1;
        SkipWhitespace();
        List<KeyPart> key = ParseKey();
        if (isArray)
        {
            if (CharAt(_pos) != ']')
            {
                throw ErrorAt(_pos, $"expected ']]' to close array of tables header [[{TomlText.FormatKey(key)}]], found {Describe(_pos)}");
            }

            if (CharAt(_pos + 1) != ']')
            {
                throw ErrorAt(_pos + 1, $"expected ']]' to close array of tables header [[{TomlText.FormatKey(key)}]], found {Describe(_pos + 1)}");
            }

            _pos += 2;
        }
        else
        {
            if (CharAt(_pos) != ']')
            {
                throw ErrorAt(_pos, $"expected ']' to close table header [{TomlText.FormatKey(key)}], found {Describe(_pos)}");
            }

            _pos++;
        }

        TomlTable parent = ResolveHeaderPath(key, isArray);
        if (isArray)
        {
            _section = DefineArrayElement(parent, key, headerPosition);
        }
        else
        {
            _section = DefineTable(parent, key, headerPosition);
        }

        return key;
    }

    /// <summary>Walks (and creates, implicitly) the tables named by all but the last part of a header.</summary>
    private TomlTable ResolveHeaderPath(List<KeyPart> key, bool isArray)
    {
        TomlTable table = _root;
        for (int i = 0; i < key.Count - 1; i++)
        {
            KeyPart part = key[i];
            if (table.TryGetValue(part.Name, out TomlValue? existing))
            {
                switch (existing)
                {
                    case TomlTable { IsSealed: false } child:
                        table = child;
                        continue;
                    case TomlArray { IsArrayOfTables: true } tables:
                        table = (TomlTable)tables[tables.Count - 1];
                        continue;
                }

                string header = HeaderName(key, isArray);
                string segment = TomlText.FormatKey(key, i + 1);
                TomlKeyInfo info = table.GetKeyInfo(part.Name);
                string reason = existing is TomlTable inlineTable
                    ? $"{header} cannot be defined inside '{segment}': it is an inline table (defined at {inlineTable.Line}:{inlineTable.Column}), and inline tables cannot be extended"
                    : $"{header} cannot be defined inside '{segment}': it is already {TomlText.WithArticle(existing)} (defined at {info.Line}:{info.Column}), not a table";
                throw Error(part.Position, reason);
            }

            var created = new TomlTable(part.Position.Line, part.Position.Column, TableOrigin.Implicit, isInline: false);
            table.Add(part.Name, created, part.Position.Line, part.Position.Column);
            table = created;
        }

        return table;
    }

    private TomlTable DefineTable(TomlTable parent, List<KeyPart> key, TextPosition headerPosition)
    {
        KeyPart last = key[^1];
        if (!parent.TryGetValue(last.Name, out TomlValue? existing))
        {
            var table = new TomlTable(headerPosition.Line, headerPosition.Column, TableOrigin.Header, isInline: false);
            parent.Add(last.Name, table, last.Position.Line, last.Position.Column);
            return table;
        }

        if (existing is TomlTable { IsSealed: false, Origin: TableOrigin.Implicit } implicitTable)
        {
            implicitTable.Origin = TableOrigin.Header;
            implicitTable.Line = headerPosition.Line;
            implicitTable.Column = headerPosition.Column;
            return implicitTable;
        }

        string name = TomlText.FormatKey(key);
        TomlKeyInfo info = parent.GetKeyInfo(last.Name);
        string reason = existing switch
        {
            TomlTable { IsInline: true } t =>
                $"table [{name}] was already defined as an inline table at {t.Line}:{t.Column}, and inline tables cannot be extended",
            TomlTable { Origin: TableOrigin.DottedKey } t =>
                $"table [{name}] was already defined by dotted keys at {t.Line}:{t.Column}",
            TomlTable t =>
                $"table [{name}] defined twice (first at {t.Line}:{t.Column})",
            TomlArray { IsArrayOfTables: true } t =>
                $"table [{name}] conflicts with the array of tables [[{name}]] defined at {t.Line}:{t.Column}",
            _ =>
                $"table [{name}] conflicts with key '{name}', already defined at {info.Line}:{info.Column} as {TomlText.WithArticle(existing)}",
        };
        throw Error(headerPosition, reason);
    }

    private TomlTable DefineArrayElement(TomlTable parent, List<KeyPart> key, TextPosition headerPosition)
    {
        KeyPart last = key[^1];
        var element = new TomlTable(headerPosition.Line, headerPosition.Column, TableOrigin.ArrayElement, isInline: false);
        if (!parent.TryGetValue(last.Name, out TomlValue? existing))
        {
            var array = new TomlArray(headerPosition.Line, headerPosition.Column, isArrayOfTables: true);
            array.Add(element);
            parent.Add(last.Name, array, last.Position.Line, last.Position.Column);
            return element;
        }

        if (existing is TomlArray { IsArrayOfTables: true } tables)
        {
            tables.Add(element);
            return element;
        }

        string name = TomlText.FormatKey(key);
        TomlKeyInfo info = parent.GetKeyInfo(last.Name);
        string reason = existing switch
        {
            TomlArray =>
                $"cannot append to array '{name}' with [[{name}]]: it was defined at {info.Line}:{info.Column} as an array literal, and only arrays of tables can be extended",
            TomlTable t =>
                $"array of tables [[{name}]] conflicts with table '{name}', already defined at {t.Line}:{t.Column}",
            _ =>
                $"array of tables [[{name}]] conflicts with key '{name}', already defined at {info.Line}:{info.Column} as {TomlText.WithArticle(existing)}",
        };
        throw Error(headerPosition, reason);
    }

    /// <summary>"table [a.b]" or "array of tables [[a.b]]".</summary>
    private static string HeaderName(List<KeyPart> key, bool isArray) => isArray
        ? $"array of tables [[{TomlText.FormatKey(key)}]]"
        : $"table [{TomlText.FormatKey(key)}]";
}
