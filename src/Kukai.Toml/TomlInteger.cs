using System.Globalization;

namespace Kukai.Toml;

/// <summary>A TOML integer: a signed 64-bit value.</summary>
public sealed class TomlInteger : TomlValue
{
    internal TomlInteger(long value, int line, int column)
        : base(line, column)
    {
        Value = value;
    }

    /// <summary>The value.</summary>
    public long Value { get; }

    /// <inheritdoc />
    public override TomlValueKind Kind => TomlValueKind.Integer;

    /// <inheritdoc />
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
