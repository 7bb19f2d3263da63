namespace Kukai.Results.Arrow;

/// <summary>The Arrow column types this implementation reads and writes.</summary>
public enum ArrowTypeKind
{
    /// <summary>Signed 32-bit integer (Arrow <c>Int</c>, bitWidth 32, signed).</summary>
    Int32,

    /// <summary>Signed 64-bit integer (Arrow <c>Int</c>, bitWidth 64, signed).</summary>
    Int64,

    /// <summary>UTF-8 string with 32-bit offsets (Arrow <c>Utf8</c>).</summary>
    Utf8,

    /// <summary>Bit-packed boolean (Arrow <c>Bool</c>).</summary>
    Bool,

    /// <summary>64-bit count of <see cref="ArrowTimeUnit"/>s since the Unix epoch (Arrow <c>Timestamp</c>).</summary>
    Timestamp,
}
