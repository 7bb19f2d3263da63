using System.Globalization;

namespace Kukai.Toml;

/// <summary>A TOML float: an IEEE 754 binary64 value, including infinities and NaN.</summary>
public sealed class TomlFloat : TomlValue
{
    internal TomlFloat(double value, int line, int column)
        : base(line, column)
    {
        Value = value;
    }

    /// <summary>The value.</summary>
    public double Value { get; }

    /// <inheritdoc />
    public override TomlValueKind Kind => TomlValueKind.Float;

    /// <inheritdoc />
    public override string ToString() => Value.ToString("R", CultureInfo.InvariantCulture);
}
