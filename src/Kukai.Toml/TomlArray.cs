using System.Collections;

namespace Kukai.Toml;

/// <summary>
/// A TOML array: either a static array literal <c>[ ... ]</c> (any mix of value types) or an array of tables
/// built from <c>[[name]]</c> headers (<see cref="IsArrayOfTables"/>).
/// </summary>
public sealed class TomlArray : TomlValue, IReadOnlyList<TomlValue>
{
    private readonly List<TomlValue> _items = [];

    internal TomlArray(int line, int column, bool isArrayOfTables)
        : base(line, column)
    {
        IsArrayOfTables = isArrayOfTables;
    }

    /// <inheritdoc />
    public override TomlValueKind Kind => TomlValueKind.Array;

    /// <summary>True when built from <c>[[name]]</c> headers; false for an array literal.</summary>
    public bool IsArrayOfTables { get; }

    /// <inheritdoc />
    public int Count => _items.Count;

    /// <inheritdoc />
    public TomlValue this[int index] => _items[index];

    /// <inheritdoc />
    public IEnumerator<TomlValue> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal void Add(TomlValue value) => _items.Add(value);
}
