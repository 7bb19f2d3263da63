namespace Kukai.Toml.Parsing;

/// <summary>A 1-based line and column (columns in Unicode scalar values).</summary>
internal readonly record struct TextPosition(int Line, int Column)
{
    public override string ToString() => $"{Line}:{Column}";
}
