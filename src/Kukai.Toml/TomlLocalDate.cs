using System.Globalization;

namespace Kukai.Toml;

/// <summary>A TOML local date.</summary>
public sealed class TomlLocalDate : TomlValue
{
    internal TomlLocalDate(DateOnly value, int line, int column)
        : base(line, column)
    {
        Value = value;
    }

    /// <summary>The value.</summary>
    public DateOnly Value { get; }

    /// <inheritdoc />
    public override TomlValueKind Kind => TomlValueKind.LocalDate;

    /// <inheritdoc />
    public override string ToString() => Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
