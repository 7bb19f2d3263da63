using System.Collections;
using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;

namespace Kukai.Toml;

/// <summary>
/// A TOML table. Keys keep the order in which they were first defined, and each key remembers where it was
/// defined (<see cref="GetKeyInfo"/>), so a consumer can report an unknown key at its <c>line:col</c>.
/// Keys are compared ordinally (TOML is case-sensitive).
/// </summary>
public sealed class TomlTable : TomlValue, IReadOnlyDictionary<string, TomlValue>
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<string> _keys = [];
    private readonly List<TomlValue> _values = [];
    private readonly List<TomlKeyInfo> _keyInfos = [];
    private ReadOnlyCollection<string>? _keysView;
    private ReadOnlyCollection<TomlValue>? _valuesView;

    internal TomlTable(int line, int column, TableOrigin origin, bool isInline)
        : base(line, column)
    {
        Origin = origin;
        IsInline = isInline;
    }

    /// <inheritdoc />
    public override TomlValueKind Kind => TomlValueKind.Table;

    /// <summary>True when the table is, or lies inside, an inline table literal <c>{ ... }</c>.</summary>
    public bool IsInline { get; }

    /// <summary>
    /// True when the table was only created as the parent of a header such as <c>[a.b]</c> (here <c>a</c>) and
    /// never defined by its own header, a dotted key or a literal.
    /// </summary>
    public bool IsImplicit => Origin == TableOrigin.Implicit;

    /// <summary>Number of keys.</summary>
    public int Count => _keys.Count;

    /// <summary>The keys in definition order.</summary>
    public IReadOnlyList<string> Keys => _keysView ??= _keys.AsReadOnly();

    /// <summary>The values in key definition order.</summary>
    public IReadOnlyList<TomlValue> Values => _valuesView ??= _values.AsReadOnly();

    IEnumerable<string> IReadOnlyDictionary<string, TomlValue>.Keys => Keys;

    IEnumerable<TomlValue> IReadOnlyDictionary<string, TomlValue>.Values => Values;

    internal TableOrigin Origin { get; set; }

    /// <summary>Set once an inline table literal is closed: nothing may be added to it afterwards.</summary>
    internal bool IsSealed { get; set; }

    /// <summary>The value of <paramref name="key"/>; throws <see cref="KeyNotFoundException"/> when absent.</summary>
    public TomlValue this[string key] => _index.TryGetValue(key, out int i)
        ? _values[i]
        : throw new KeyNotFoundException($"key '{key}' is not in the table");

    /// <inheritdoc />
    public bool ContainsKey(string key) => _index.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out TomlValue value)
    {
        if (_index.TryGetValue(key, out int i))
        {
            value = _values[i];
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>Where <paramref name="key"/> was first defined; throws <see cref="KeyNotFoundException"/> when absent.</summary>
    public TomlKeyInfo GetKeyInfo(string key) => _index.TryGetValue(key, out int i)
        ? _keyInfos[i]
        : throw new KeyNotFoundException($"key '{key}' is not in the table");

    /// <summary>Where <paramref name="key"/> was first defined, if the table has it.</summary>
    public bool TryGetKeyInfo(string key, out TomlKeyInfo info)
    {
        if (_index.TryGetValue(key, out int i))
        {
            info = _keyInfos[i];
            return true;
        }

        info = default;
        return false;
    }

    /// <summary>The key/value pairs in definition order.</summary>
    public IEnumerator<KeyValuePair<string, TomlValue>> GetEnumerator()
    {
        for (int i = 0; i < _keys.Count; i++)
        {
            yield return new KeyValuePair<string, TomlValue>(_keys[i], _values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Adds a key the caller has checked is absent.</summary>
    internal void Add(string key, TomlValue value, int line, int column)
    {
        _index.Add(key, _keys.Count);
        _keys.Add(key);
        _values.Add(value);
        _keyInfos.Add(new TomlKeyInfo(key, line, column));
    }
}
