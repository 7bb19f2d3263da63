namespace Kukai.Toml;

/// <summary>A TOML boolean.</summary>
public sealed class TomlBoolean : TomlValue
{
    internal TomlBoolean(bool value, int line, int column)
        : base(line, column)
    {
        Value = value;
    }

    /// <summary>The value.</summary>
    public bool Value { get; }

    /// <inheritdoc />
    public override TomlValueKind Kind => TomlValueKind.Boolean;

    /// <inheritdoc />
    public override string ToString() => Value ? "true" : "false";
}
