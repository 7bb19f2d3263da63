using System.Globalization;

namespace Kukai.Toml;

/// <summary>A TOML offset date-time. Fractional seconds beyond 100 ns are truncated; offsets are limited to ±14:00 (the range of <see cref="DateTimeOffset"/>).</summary>
public sealed class TomlOffsetDateTime : TomlValue
{
    internal TomlOffsetDateTime(DateTimeOffset value, int line, int column)
        : base(line, column)
    {
        Value = value;
    }

    /// <summary>The value.</summary>
    public DateTimeOffset Value { get; }

    /// <inheritdoc />
    public override TomlValueKind Kind => TomlValueKind.OffsetDateTime;

    /// <inheritdoc />
    public override string ToString() => Value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);
}
