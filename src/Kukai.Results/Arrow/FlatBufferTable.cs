using System.Buffers.Binary;
using System.Text;

namespace Kukai.Results.Arrow;

/// <summary>
/// A bounds-checked view of one FlatBuffers table inside a buffer. Every read validates offsets against
/// the buffer, so malformed input surfaces as <see cref="InvalidDataException"/>, never as an index error.
/// </summary>
internal readonly struct FlatBufferTable
{
    private readonly byte[] _buffer;
    private readonly int _position;
    private readonly int _vtable;
    private readonly int _vtableLength;
    private readonly int _tableLength;
    private readonly string _what;

    private FlatBufferTable(byte[] buffer, int position, string what)
    {
        _buffer = buffer;
        _position = position;
        _what = what;
        CheckRange(buffer, position, 4, what);
        long vtable = position - (long)BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(position));
        if (vtable < 0 || vtable > buffer.Length - 4)
        {
            throw Malformed($"{what}: vtable offset points outside the buffer");
        }

        _vtable = (int)vtable;
        _vtableLength = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(_vtable));
        _tableLength = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(_vtable + 2));
        if (_vtableLength < 4 || (_vtableLength & 1) != 0 || _vtable + _vtableLength > buffer.Length)
        {
            throw Malformed($"{what}: invalid vtable length {_vtableLength}");
        }

        if (_tableLength < 4 || position + (long)_tableLength > buffer.Length)
        {
            throw Malformed($"{what}: invalid table length {_tableLength}");
        }
    }

    /// <summary>The root table of a FlatBuffer that starts at <paramref name="start"/>.</summary>
    public static FlatBufferTable Root(byte[] buffer, int start, string what)
    {
        CheckRange(buffer, start, 4, what);
        return new FlatBufferTable(buffer, Follow(buffer, start, what), what);
    }

    public bool Has(int slot) => FieldPosition(slot, 1) != 0;

    public byte GetByte(int slot, byte defaultValue = 0)
    {
        int at = FieldPosition(slot, 1);
        return at == 0 ? defaultValue : _buffer[at];
    }

    public bool GetBool(int slot, bool defaultValue = false)
    {
        int at = FieldPosition(slot, 1);
        return at == 0 ? defaultValue : _buffer[at] != 0;
    }

    public short GetInt16(int slot, short defaultValue = 0)
    {
        int at = FieldPosition(slot, 2);
        return at == 0 ? defaultValue : BinaryPrimitives.ReadInt16LittleEndian(_buffer.AsSpan(at));
    }

    public int GetInt32(int slot, int defaultValue = 0)
    {
        int at = FieldPosition(slot, 4);
        return at == 0 ? defaultValue : BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(at));
    }

    public long GetInt64(int slot, long defaultValue = 0)
    {
        int at = FieldPosition(slot, 8);
        return at == 0 ? defaultValue : BinaryPrimitives.ReadInt64LittleEndian(_buffer.AsSpan(at));
    }

    public FlatBufferTable? GetTable(int slot, string what)
    {
        int at = FieldPosition(slot, 4);
        return at == 0 ? null : new FlatBufferTable(_buffer, Follow(_buffer, at, what), what);
    }

    public string? GetString(int slot, string what)
    {
        int at = FieldPosition(slot, 4);
        if (at == 0)
        {
            return null;
        }

        int start = Follow(_buffer, at, what);
        CheckRange(_buffer, start, 4, what);
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(start));
        if (length > (uint)(_buffer.Length - start - 4))
        {
            throw Malformed($"{what}: string of {length} bytes runs past the buffer");
        }

        try
        {
            return StrictUtf8.GetString(_buffer, start + 4, (int)length);
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException($"Malformed Arrow metadata: {what} is not valid UTF-8.", e);
        }
    }

    /// <summary>
    /// A vector of <paramref name="elementSize"/>-byte elements, or an empty vector when absent.
    /// Returns the position of element 0 and the element count.
    /// </summary>
    public (int Start, int Count) GetVector(int slot, int elementSize, string what)
    {
        int at = FieldPosition(slot, 4);
        if (at == 0)
        {
            return (0, 0);
        }

        int start = Follow(_buffer, at, what);
        CheckRange(_buffer, start, 4, what);
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(start));
        if (count > (uint)((_buffer.Length - start - 4) / elementSize))
        {
            throw Malformed($"{what}: vector of {count} elements runs past the buffer");
        }

        return (start + 4, (int)count);
    }

    /// <summary>Element <paramref name="index"/> of a vector of tables from <see cref="GetVector"/>.</summary>
    public FlatBufferTable GetTableAt((int Start, int Count) vector, int index, string what) =>
        new(_buffer, Follow(_buffer, vector.Start + (index * 4), what), what);

    public long ReadInt64At(int position) => BinaryPrimitives.ReadInt64LittleEndian(_buffer.AsSpan(position));

    public int ReadInt32At(int position) => BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(position));

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Absolute position of a field of <paramref name="size"/> bytes, or 0 when absent.</summary>
    private int FieldPosition(int slot, int size)
    {
        int entry = 4 + (slot * 2);
        if (entry + 2 > _vtableLength)
        {
            return 0;
        }

        int fieldOffset = BinaryPrimitives.ReadUInt16LittleEndian(_buffer.AsSpan(_vtable + entry));
        if (fieldOffset == 0)
        {
            return 0;
        }

        if (fieldOffset < 4 || fieldOffset + size > _tableLength)
        {
            throw Malformed($"{_what}: field {slot} lies outside its table");
        }

        return _position + fieldOffset;
    }

    private static int Follow(byte[] buffer, int at, string what)
    {
        CheckRange(buffer, at, 4, what);
        uint relative = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(at));
        long target = at + (long)relative;
        if (relative == 0 || target > buffer.Length - 4)
        {
            throw Malformed($"{what}: offset points outside the buffer");
        }

        return (int)target;
    }

    private static void CheckRange(byte[] buffer, int position, int length, string what)
    {
        if (position < 0 || position > buffer.Length - length)
        {
            throw Malformed($"{what}: position {position} is outside the {buffer.Length}-byte buffer");
        }
    }

    private static InvalidDataException Malformed(string detail) => new($"Malformed Arrow metadata: {detail}.");
}
