using System.Globalization;

namespace Kukai.Toml;

/// <summary>A TOML local time. Fractional seconds beyond 100 ns are truncated.</summary>
public sealed class TomlLocalTime : TomlValue
{
    internal TomlLocalTime(TimeOnly value, int line, int column)
        : base(line, column)
    {
        Value = value;
    }

    /// <summary>The value.</summary>
    public TimeOnly Value { get; }

    /// <inheritdoc />
    public override TomlValueKind Kind => TomlValueKind.LocalTime;

    /// <inheritdoc />
    public override string ToString() => Value.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
}
