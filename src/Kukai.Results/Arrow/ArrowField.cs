namespace Kukai.Results.Arrow;

/// <summary>One named column of a schema. <paramref name="IsNullable"/> is the schema's promise; a column of
/// a non-nullable field never carries nulls when written by <see cref="ArrowFileWriter"/>.</summary>
public sealed record ArrowField(string Name, ArrowType Type, bool IsNullable)
{
    public override string ToString() => $"{Name}: {Type}{(IsNullable ? "" : " not null")}";
}
