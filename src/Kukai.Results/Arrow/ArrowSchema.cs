namespace Kukai.Results.Arrow;

/// <summary>An ordered list of fields; two schemas are equal when their fields are equal in order.</summary>
public sealed class ArrowSchema : IEquatable<ArrowSchema>
{
    private readonly ArrowField[] _fields;

    public ArrowSchema(IEnumerable<ArrowField> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        _fields = [.. fields];
        foreach (var field in _fields)
        {
            ArgumentNullException.ThrowIfNull(field, nameof(fields));
            ArgumentNullException.ThrowIfNull(field.Name, nameof(fields));
            ArgumentNullException.ThrowIfNull(field.Type, nameof(fields));
        }
    }

    public IReadOnlyList<ArrowField> Fields => _fields;

    public bool Equals(ArrowSchema? other) =>
        other is not null && _fields.AsSpan().SequenceEqual(other._fields);

    public override bool Equals(object? obj) => Equals(obj as ArrowSchema);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var field in _fields)
        {
            hash.Add(field);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => string.Join(", ", _fields.Select(f => f.ToString()));
}
