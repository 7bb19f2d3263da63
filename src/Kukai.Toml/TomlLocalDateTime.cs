using System.Globalization;

namespace Kukai.Toml;

/// <summary>A TOML local date-time (no offset): <see cref="DateTime.Kind"/> is <see cref="DateTimeKind.Unspecified"/>. Fractional seconds beyond 100 ns are truncated.</summary>
public sealed class TomlLocalDateTime : TomlValue
{
    internal TomlLocalDateTime(DateTime value, int line, int column)
        : base(line, column)
    {
        Value = value;
    }

    /// <summary>The value.</summary>
    public DateTime Value { get; }

    /// <inheritdoc />
    public override TomlValueKind Kind => TomlValueKind.LocalDateTime;

    /// <inheritdoc />
    public override string ToString() => Value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
}
