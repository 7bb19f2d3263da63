namespace Kukai.Toml;

/// <summary>
/// A value read from a TOML document. <see cref="Line"/> and <see cref="Column"/> (1-based, columns counted
/// in Unicode scalar values) say where the value starts, so a consumer can report <c>file:line:col</c> for a
/// value it rejects. Values are immutable once the reader returns them, and safe to share across threads.
/// </summary>
public abstract class TomlValue
{
    private protected TomlValue(int line, int column)
    {
        Line = line;
        Column = column;
    }

    /// <summary>Line where the value starts (1-based).</summary>
    public int Line { get; internal set; }

    /// <summary>Column where the value starts (1-based, in Unicode scalar values).</summary>
    public int Column { get; internal set; }

    /// <summary>The TOML type of this value.</summary>
    public abstract TomlValueKind Kind { get; }

    /// <summary>The type in words for messages, e.g. <c>"integer"</c> or <c>"local date-time"</c>.</summary>
    public string KindName => GetKindName(Kind);

    /// <summary>The type of <paramref name="kind"/> in words, as used in error messages.</summary>
    public static string GetKindName(TomlValueKind kind) => kind switch
    {
        TomlValueKind.Table => "table",
        TomlValueKind.Array => "array",
        TomlValueKind.String => "string",
        TomlValueKind.Integer => "integer",
        TomlValueKind.Float => "float",
        TomlValueKind.Boolean => "boolean",
        TomlValueKind.OffsetDateTime => "offset date-time",
        TomlValueKind.LocalDateTime => "local date-time",
        TomlValueKind.LocalDate => "local date",
        TomlValueKind.LocalTime => "local time",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown TOML value kind"),
    };
}
