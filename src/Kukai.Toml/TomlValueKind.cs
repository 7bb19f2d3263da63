namespace Kukai.Toml;

/// <summary>The type of a <see cref="TomlValue"/>: one per TOML 1.0 value type.</summary>
public enum TomlValueKind
{
    Table,
    Array,
    String,
    Integer,
    Float,
    Boolean,
    OffsetDateTime,
    LocalDateTime,
    LocalDate,
    LocalTime,
}
