using System.Buffers.Binary;
using System.Text;

namespace Kukai.Results.Arrow;

/// <summary>
/// One column of a record batch read by <see cref="ArrowFileReader"/>. Its buffers were validated when the
/// batch was read; the value of a null slot is unspecified (check <see cref="IsNull"/>), except that
/// <see cref="GetString"/> returns null for it. Typed getters throw <see cref="InvalidOperationException"/>
/// on a column of another type. Immutable; safe to read from several threads.
/// </summary>
public sealed class ArrowArray
{
    private readonly ReadOnlyMemory<byte> _validity;
    private readonly ReadOnlyMemory<byte> _offsets;
    private readonly ReadOnlyMemory<byte> _values;

    internal ArrowArray(
        ArrowField field,
        int length,
        int nullCount,
        ReadOnlyMemory<byte> validity,
        ReadOnlyMemory<byte> offsets,
        ReadOnlyMemory<byte> values)
    {
        Field = field;
        Length = length;
        NullCount = nullCount;
        _validity = nullCount > 0 ? validity : ReadOnlyMemory<byte>.Empty;
        _offsets = offsets;
        _values = values;
    }

    public ArrowField Field { get; }

    public int Length { get; }

    public int NullCount { get; }

    public bool IsNull(int index)
    {
        CheckIndex(index);
        return NullCount > 0 && (_validity.Span[index >> 3] & (1 << (index & 7))) == 0;
    }

    /// <summary>An Int64 value, or a Timestamp as a count of its <see cref="ArrowType.Unit"/>s since the epoch.</summary>
    public long GetInt64(int index)
    {
        CheckIndex(index);
        CheckKind(ArrowTypeKind.Int64, ArrowTypeKind.Timestamp);
        return BinaryPrimitives.ReadInt64LittleEndian(_values.Span[(index * 8)..]);
    }

    public int GetInt32(int index)
    {
        CheckIndex(index);
        CheckKind(ArrowTypeKind.Int32, ArrowTypeKind.Int32);
        return BinaryPrimitives.ReadInt32LittleEndian(_values.Span[(index * 4)..]);
    }

    public bool GetBoolean(int index)
    {
        CheckIndex(index);
        CheckKind(ArrowTypeKind.Bool, ArrowTypeKind.Bool);
        return (_values.Span[index >> 3] & (1 << (index & 7))) != 0;
    }

    /// <summary>The UTF-8 bytes of a string value (empty for a null slot); no allocation.</summary>
    public ReadOnlySpan<byte> GetUtf8Bytes(int index)
    {
        CheckIndex(index);
        CheckKind(ArrowTypeKind.Utf8, ArrowTypeKind.Utf8);
        var offsets = _offsets.Span;
        int start = BinaryPrimitives.ReadInt32LittleEndian(offsets[(index * 4)..]);
        int end = BinaryPrimitives.ReadInt32LittleEndian(offsets[((index + 1) * 4)..]);
        return _values.Span[start..end];
    }

    /// <summary>A string value, or null for a null slot. Invalid UTF-8 decodes with replacement characters.</summary>
    public string? GetString(int index) => IsNull(index) ? null : Encoding.UTF8.GetString(GetUtf8Bytes(index));

    private void CheckIndex(int index)
    {
        if ((uint)index >= (uint)Length)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Column '{Field.Name}' has {Length} rows.");
        }
    }

    private void CheckKind(ArrowTypeKind expected, ArrowTypeKind alternative)
    {
        var kind = Field.Type.Kind;
        if (kind != expected && kind != alternative)
        {
            throw new InvalidOperationException($"Column '{Field.Name}' is {Field.Type}, not {expected}.");
        }
    }
}
