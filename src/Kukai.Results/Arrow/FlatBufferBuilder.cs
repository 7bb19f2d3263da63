using System.Buffers.Binary;
using System.Text;

namespace Kukai.Results.Arrow;

/// <summary>
/// A minimal FlatBuffers encoder: just enough for Arrow's Message, Schema and Footer tables.
/// </summary>
/// <remarks>
/// Like the reference builders it writes back to front, so every child (string, vector, table) is finished
/// before the table that points at it, and every uoffset points forward. Positions handed out ("offsets")
/// count bytes from the end of the buffer. Alignment is kept relative to the end; <see cref="Finish"/> pads
/// the front so the finished buffer is aligned to the largest alignment used (8 for Arrow), which holds in
/// the file because Arrow places metadata at 8-byte boundaries.
/// Usage: build children, then <see cref="StartTable"/>, add fields, <see cref="EndTable"/>, and finally
/// <see cref="Finish"/> with the root table. Not thread-safe; reusable after <see cref="Clear"/>.
/// </remarks>
internal sealed class FlatBufferBuilder
{
    private const int MaxSlots = 16;

    private byte[] _buffer;
    private int _space;
    private int _minAlign = 1;
    private readonly int[] _vtable = new int[MaxSlots];
    private int _slotCount;
    private int _objectStart;
    private bool _inTable;
    private int _vectorCount = -1;

    public FlatBufferBuilder(int initialCapacity = 1024)
    {
        _buffer = new byte[Math.Max(initialCapacity, 64)];
        _space = _buffer.Length;
    }

    /// <summary>Bytes written so far; also the offset of the last object written.</summary>
    public int Offset => _buffer.Length - _space;

    /// <summary>Capacity of the internal buffer in bytes (for memory-bound checks).</summary>
    public int Capacity => _buffer.Length;

    public void Clear()
    {
        _space = _buffer.Length;
        _minAlign = 1;
        _inTable = false;
        _vectorCount = -1;
        Array.Clear(_vtable);
    }

    /// <summary>The finished buffer (valid until the next write or <see cref="Clear"/>).</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(_space);

    public int StartTable(int slotCount)
    {
        if (_inTable || _vectorCount >= 0)
        {
            throw new InvalidOperationException("A table or vector is already open.");
        }

        if (slotCount is < 0 or > MaxSlots)
        {
            throw new ArgumentOutOfRangeException(nameof(slotCount));
        }

        _inTable = true;
        _slotCount = slotCount;
        _objectStart = Offset;
        Array.Clear(_vtable, 0, slotCount);
        return _objectStart;
    }

    public void AddBool(int slot, bool value) => AddByte(slot, value ? (byte)1 : (byte)0);

    public void AddByte(int slot, byte value)
    {
        Prep(1, 0);
        _buffer[--_space] = value;
        Track(slot);
    }

    public void AddInt16(int slot, short value)
    {
        Prep(2, 0);
        _space -= 2;
        BinaryPrimitives.WriteInt16LittleEndian(_buffer.AsSpan(_space), value);
        Track(slot);
    }

    public void AddInt32(int slot, int value)
    {
        Prep(4, 0);
        PutInt32(value);
        Track(slot);
    }

    public void AddInt64(int slot, long value)
    {
        Prep(8, 0);
        _space -= 8;
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_space), value);
        Track(slot);
    }

    /// <summary>Adds a field referring to an already finished string, vector or table.</summary>
    public void AddOffset(int slot, int target)
    {
        PutOffset(target);
        Track(slot);
    }

    public int EndTable()
    {
        if (!_inTable)
        {
            throw new InvalidOperationException("No table is open.");
        }

        // Placeholder for the soffset to the vtable, patched once the vtable's position is known.
        Prep(4, 0);
        PutInt32(0);
        int tableOffset = Offset;

        int used = _slotCount;
        while (used > 0 && _vtable[used - 1] == 0)
        {
            used--;
        }

        for (int slot = used - 1; slot >= 0; slot--)
        {
            int fieldOffset = _vtable[slot];
            PutUInt16Aligned(fieldOffset == 0 ? 0 : tableOffset - fieldOffset);
        }

        PutUInt16Aligned(tableOffset - _objectStart);
        PutUInt16Aligned((used + 2) * 2);

        // vtable = table - soffset: the vtable sits before the table, so the soffset is positive.
        int vtableOffset = Offset;
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_buffer.Length - tableOffset), vtableOffset - tableOffset);
        _inTable = false;
        return tableOffset;
    }

    public int CreateString(string value)
    {
        int byteCount = Encoding.UTF8.GetByteCount(value);
        Prep(4, byteCount + 1);
        _buffer[--_space] = 0;
        _space -= byteCount;
        Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_space, byteCount));
        PutInt32(byteCount);
        return Offset;
    }

    /// <summary>Opens a vector; write its elements last to first, then call <see cref="EndVector"/>.</summary>
    public void StartVector(int elementSize, int count, int alignment)
    {
        if (_inTable || _vectorCount >= 0)
        {
            throw new InvalidOperationException("A table or vector is already open.");
        }

        _vectorCount = count;
        Prep(4, elementSize * count);
        Prep(alignment, elementSize * count);
    }

    public int EndVector()
    {
        if (_vectorCount < 0)
        {
            throw new InvalidOperationException("No vector is open.");
        }

        PutInt32(_vectorCount);
        _vectorCount = -1;
        return Offset;
    }

    /// <summary>A vector of offsets (strings or tables), given in logical order.</summary>
    public int CreateOffsetVector(ReadOnlySpan<int> targets)
    {
        StartVector(4, targets.Length, 4);
        for (int i = targets.Length - 1; i >= 0; i--)
        {
            PutOffset(targets[i]);
        }

        return EndVector();
    }

    /// <summary>Writes one struct of two int64 fields (Arrow's Buffer and FieldNode) inside an open vector.</summary>
    public void PutStruct(long first, long second)
    {
        Prep(8, 16);
        _space -= 16;
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_space), first);
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_space + 8), second);
    }

    /// <summary>Writes one Arrow Block struct (int64, int32, 4 bytes padding, int64) inside an open vector.</summary>
    public void PutBlock(long offset, int metaDataLength, long bodyLength)
    {
        Prep(8, 24);
        _space -= 24;
        Span<byte> target = _buffer.AsSpan(_space, 24);
        BinaryPrimitives.WriteInt64LittleEndian(target, offset);
        BinaryPrimitives.WriteInt32LittleEndian(target[8..], metaDataLength);
        BinaryPrimitives.WriteInt32LittleEndian(target[12..], 0);
        BinaryPrimitives.WriteInt64LittleEndian(target[16..], bodyLength);
    }

    /// <summary>Writes the root offset; afterwards <see cref="WrittenSpan"/> is a complete FlatBuffer.</summary>
    public void Finish(int rootTable)
    {
        Prep(Math.Max(_minAlign, 4), 4);
        PutOffset(rootTable);
    }

    private void Track(int slot)
    {
        if (!_inTable || (uint)slot >= (uint)_slotCount)
        {
            throw new InvalidOperationException($"Field slot {slot} is outside the open table.");
        }

        _vtable[slot] = Offset;
    }

    private void PutOffset(int target)
    {
        Prep(4, 0);
        if (target > Offset)
        {
            throw new InvalidOperationException("An offset must refer to an object written earlier.");
        }

        // The uoffset counts from its own position to the target; +4 for the slot being written.
        PutInt32(Offset - target + 4);
    }

    private void PutInt32(int value)
    {
        _space -= 4;
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_space), value);
    }

    private void PutUInt16Aligned(int value)
    {
        if (value is < 0 or > ushort.MaxValue)
        {
            throw new InvalidOperationException("A table is too large for a FlatBuffers vtable.");
        }

        Prep(2, 0);
        _space -= 2;
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(_space), (ushort)value);
    }

    /// <summary>
    /// Pads so that, after <paramref name="additionalBytes"/> more bytes, the write position is a multiple
    /// of <paramref name="size"/> (counted from the end), and makes sure there is room for all of it.
    /// </summary>
    private void Prep(int size, int additionalBytes)
    {
        if (size > _minAlign)
        {
            _minAlign = size;
        }

        int padding = -(Offset + additionalBytes) & (size - 1);
        EnsureSpace(padding + size + additionalBytes);
        for (int i = 0; i < padding; i++)
        {
            _buffer[--_space] = 0;
        }
    }

    private void EnsureSpace(int bytes)
    {
        if (_space >= bytes)
        {
            return;
        }

        int used = Offset;
        int newLength = Math.Max(_buffer.Length * 2, used + bytes + 64);
        var grown = new byte[newLength];
        _buffer.AsSpan(_space).CopyTo(grown.AsSpan(newLength - used));
        _buffer = grown;
        _space = newLength - used;
    }
}
