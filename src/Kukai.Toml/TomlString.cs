namespace Kukai.Toml;

/// <summary>A TOML string (any of the four string syntaxes), escapes resolved; CRLF inside multi-line strings is read as LF.</summary>
public sealed class TomlString : TomlValue
{
    internal TomlString(string value, int line, int column)
        : base(line, column)
    {
        Value = value;
    }

    /// <summary>The value.</summary>
    public string Value { get; }

    /// <inheritdoc />
    public override TomlValueKind Kind => TomlValueKind.String;

    /// <inheritdoc />
    public override string ToString() => Value;
}
