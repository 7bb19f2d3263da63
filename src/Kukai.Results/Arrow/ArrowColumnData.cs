namespace Kukai.Results.Arrow;

/// <summary>
/// The buffers of one column of a record batch handed to <see cref="ArrowFileWriter.WriteBatch"/>.
/// All buffers are little-endian Arrow layout for the batch's row count <c>n</c>:
/// <list type="bullet">
/// <item><see cref="Values"/>: <c>n</c> int32/int64 values, a bit-packed (LSB first) bool bitmap, or the
/// concatenated UTF-8 bytes of a string column.</item>
/// <item><see cref="Offsets"/>: UTF-8 columns only, <c>n + 1</c> int32 offsets into <see cref="Values"/>,
/// starting at 0 and never decreasing.</item>
/// <item><see cref="Validity"/>: an LSB-first bitmap (1 = present) of at least <c>ceil(n / 8)</c> bytes;
/// required when <see cref="NullCount"/> &gt; 0, ignored otherwise.</item>
/// </list>
/// Buffers may be longer than needed; only the needed prefix is written.
/// </summary>
public readonly record struct ArrowColumnData(
    ReadOnlyMemory<byte> Values,
    ReadOnlyMemory<byte> Offsets = default,
    ReadOnlyMemory<byte> Validity = default,
    int NullCount = 0);
