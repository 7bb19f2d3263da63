namespace Kukai.Results.Arrow;

/// <summary>
/// An Arrow logical type. <see cref="Unit"/> and <see cref="Timezone"/> apply to timestamps only
/// (a null or empty timezone means "time zone naive"). Compares by value.
/// </summary>
public sealed record ArrowType
{
    private ArrowType(ArrowTypeKind kind, ArrowTimeUnit unit = ArrowTimeUnit.Second, string? timezone = null)
    {
        Kind = kind;
        Unit = unit;
        Timezone = timezone;
    }

    public ArrowTypeKind Kind { get; }

    public ArrowTimeUnit Unit { get; }

    public string? Timezone { get; }

    public static ArrowType Int32 { get; } = new(ArrowTypeKind.Int32);

    public static ArrowType Int64 { get; } = new(ArrowTypeKind.Int64);

    public static ArrowType Utf8 { get; } = new(ArrowTypeKind.Utf8);

    public static ArrowType Bool { get; } = new(ArrowTypeKind.Bool);

    public static ArrowType Timestamp(ArrowTimeUnit unit, string? timezone)
    {
        if (!Enum.IsDefined(unit))
        {
            throw new ArgumentOutOfRangeException(nameof(unit), unit, "Unknown time unit.");
        }

        return new ArrowType(ArrowTypeKind.Timestamp, unit, timezone);
    }

    /// <summary>Bytes per value for fixed-width types; 0 for <see cref="ArrowTypeKind.Utf8"/> and
    /// <see cref="ArrowTypeKind.Bool"/> (bit-packed).</summary>
    internal int ByteWidth => Kind switch
    {
        ArrowTypeKind.Int32 => 4,
        ArrowTypeKind.Int64 or ArrowTypeKind.Timestamp => 8,
        _ => 0,
    };

    /// <summary>Buffers per column in a record batch: validity + values, plus offsets for UTF-8.</summary>
    internal int BufferCount => Kind == ArrowTypeKind.Utf8 ? 3 : 2;

    /// <summary>pyarrow-style name, e.g. <c>int64</c> or <c>timestamp[ns, tz=UTC]</c>.</summary>
    public override string ToString() => Kind switch
    {
        ArrowTypeKind.Int32 => "int32",
        ArrowTypeKind.Int64 => "int64",
        ArrowTypeKind.Utf8 => "string",
        ArrowTypeKind.Bool => "bool",
        _ => string.IsNullOrEmpty(Timezone) ? $"timestamp[{UnitName}]" : $"timestamp[{UnitName}, tz={Timezone}]",
    };

    private string UnitName => Unit switch
    {
        ArrowTimeUnit.Second => "s",
        ArrowTimeUnit.Millisecond => "ms",
        ArrowTimeUnit.Microsecond => "us",
        _ => "ns",
    };
}
