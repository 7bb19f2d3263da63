using System.Buffers.Binary;

namespace Kukai.Results.Arrow;

/// <summary>
/// Reads an Arrow IPC file written by any Arrow implementation, for the column types in
/// <see cref="ArrowTypeKind"/> (uncompressed, little-endian, metadata V4 or V5, no dictionaries).
/// The constructor validates both magics and the footer; each <see cref="ReadRecordBatch(int)"/> validates the
/// message and every buffer against the body before exposing it. Malformed or unsupported input raises
/// <see cref="InvalidDataException"/>. Batches are located through the footer, so the stream must be
/// seekable. Memory held: the footer, plus one batch body per read. Not thread-safe.
/// </summary>
public sealed class ArrowFileReader : IDisposable
{
    /// <summary>Leading magic and padding, footer length, trailing magic.</summary>
    private const int FramingLength = 8 + 4 + 6;

    private readonly Stream _input;
    private readonly bool _leaveOpen;
    private readonly ArrowBlock[] _blocks;
    private readonly int _bufferCount;

    /// <param name="input">A readable, seekable stream holding the whole file from position 0.</param>
    /// <param name="leaveOpen">When false, <see cref="Dispose"/> also disposes <paramref name="input"/>.</param>
    public ArrowFileReader(Stream input, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!input.CanRead || !input.CanSeek)
        {
            throw new ArgumentException("The input stream must be readable and seekable.", nameof(input));
        }

        _input = input;
        _leaveOpen = leaveOpen;
        try
        {
            (Schema, _blocks, FooterStart) = ReadFooter(input);
        }
        catch
        {
            if (!leaveOpen)
            {
                input.Dispose();
            }

            throw;
        }

        foreach (var field in Schema.Fields)
        {
            _bufferCount += field.Type.BufferCount;
        }
    }

    public ArrowSchema Schema { get; }

    /// <summary>Record batches listed in the footer.</summary>
    public int RecordBatchCount => _blocks.Length;

    /// <summary>File position where the footer starts.</summary>
    internal long FooterStart { get; }

    internal Stream Stream => _input;

    /// <summary>Opens the file at <paramref name="path"/>; the reader owns (and disposes) the file handle.</summary>
    public static ArrowFileReader Open(string path) =>
        new(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan));

    internal ArrowBlock GetBlock(int index) => _blocks[index];

    /// <summary>Reads and validates record batch <paramref name="index"/> (0-based, footer order).</summary>
    public ArrowRecordBatch ReadRecordBatch(int index)
    {
        byte[]? body = null;
        return ReadRecordBatch(index, ref body);
    }

    /// <summary>All record batches in footer order, read one at a time.</summary>
    public IEnumerable<ArrowRecordBatch> ReadRecordBatches()
    {
        for (int i = 0; i < _blocks.Length; i++)
        {
            yield return ReadRecordBatch(i);
        }
    }

    /// <summary>
    /// Like <see cref="ReadRecordBatch(int)"/>, but reads the body into <paramref name="body"/> when it is
    /// large enough (replacing it otherwise): the previous batch read into the same array becomes invalid.
    /// </summary>
    internal ArrowRecordBatch ReadRecordBatch(int index, ref byte[]? body)
    {
        var metadata = ReadBatchMetadata(index);
        if (metadata.BodyLength > Array.MaxLength)
        {
            throw new InvalidDataException(
                $"Arrow record batch {index} has a {metadata.BodyLength}-byte body; at most {Array.MaxLength} bytes are supported.");
        }

        int bodyLength = (int)metadata.BodyLength;
        if (body is null || body.Length < bodyLength)
        {
            body = new byte[bodyLength];
        }

        var block = _blocks[index];
        ReadAt(block.Offset + block.MetaDataLength, body.AsSpan(0, bodyLength));
        var memory = new ReadOnlyMemory<byte>(body, 0, bodyLength);

        var fields = Schema.Fields;
        var columns = new ArrowArray[fields.Count];
        int b = 0;
        for (int c = 0; c < columns.Length; c++)
        {
            columns[c] = ReadColumn(fields[c], c, metadata, memory, ref b, index);
        }

        return new ArrowRecordBatch(Schema, metadata.Length, columns);
    }

    /// <summary>The rows of every record batch, from their messages (no body is read); each message is validated.</summary>
    public long CountRows()
    {
        long rows = 0;
        for (int i = 0; i < _blocks.Length; i++)
        {
            rows += ReadBatchMetadata(i).Length;
        }

        return rows;
    }

    /// <summary>
    /// Validates record batch <paramref name="index"/>'s message without reading its body: a RecordBatch
    /// header matching the schema whose buffers all lie inside the body.
    /// </summary>
    internal void ValidateRecordBatchMetadata(int index) => ReadBatchMetadata(index);

    public void Dispose()
    {
        if (!_leaveOpen)
        {
            _input.Dispose();
        }
    }

    private static ArrowArray ReadColumn(ArrowField field, int column, BatchMetadata metadata, ReadOnlyMemory<byte> body, ref int b, int batchIndex)
    {
        int length = metadata.Length;
        int nullCount = metadata.NullCounts[column];
        string where = $"Malformed Arrow record batch {batchIndex}, column '{field.Name}'";
        long bitmapBytes = (length + 7L) / 8;
        var validity = Slice(body, metadata.Buffers[b++]);
        if (nullCount > 0 && validity.Length < bitmapBytes)
        {
            throw new InvalidDataException($"{where}: {nullCount} nulls but a validity bitmap of {validity.Length} bytes (needs {bitmapBytes}).");
        }

        var offsets = ReadOnlyMemory<byte>.Empty;
        ReadOnlyMemory<byte> values;
        long needed;
        switch (field.Type.Kind)
        {
            case ArrowTypeKind.Utf8:
                offsets = Slice(body, metadata.Buffers[b++]);
                values = Slice(body, metadata.Buffers[b++]);
                needed = 0;
                if (length > 0 || offsets.Length > 0)
                {
                    CheckOffsets(offsets.Span, length, values.Length, where);
                }

                break;
            case ArrowTypeKind.Bool:
                values = Slice(body, metadata.Buffers[b++]);
                needed = bitmapBytes;
                break;
            default:
                values = Slice(body, metadata.Buffers[b++]);
                needed = (long)length * field.Type.ByteWidth;
                break;
        }

        if (values.Length < needed)
        {
            throw new InvalidDataException($"{where}: values buffer of {values.Length} bytes; {length} rows need {needed}.");
        }

        return new ArrowArray(field, length, nullCount, validity, offsets, values);
    }

    /// <summary>Offsets: length + 1 int32s, non-negative, never decreasing, within the data buffer.</summary>
    private static void CheckOffsets(ReadOnlySpan<byte> offsets, int length, int dataLength, string where)
    {
        long needed = (length + 1L) * 4;
        if (offsets.Length < needed)
        {
            throw new InvalidDataException($"{where}: offsets buffer of {offsets.Length} bytes; {length} rows need {needed}.");
        }

        int previous = BinaryPrimitives.ReadInt32LittleEndian(offsets);
        if (previous < 0)
        {
            throw new InvalidDataException($"{where}: negative first offset {previous}.");
        }

        for (int i = 1; i <= length; i++)
        {
            int next = BinaryPrimitives.ReadInt32LittleEndian(offsets[(i * 4)..]);
            if (next < previous)
            {
                throw new InvalidDataException($"{where}: offset {i} ({next}) is below offset {i - 1} ({previous}).");
            }

            previous = next;
        }

        if (previous > dataLength)
        {
            throw new InvalidDataException($"{where}: offsets reach byte {previous} of a {dataLength}-byte data buffer.");
        }
    }

    private static ReadOnlyMemory<byte> Slice(ReadOnlyMemory<byte> body, (int Offset, int Length) range) =>
        body.Slice(range.Offset, range.Length);

    private BatchMetadata ReadBatchMetadata(int index)
    {
        if ((uint)index >= (uint)_blocks.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The file has {_blocks.Length} record batches.");
        }

        var block = _blocks[index];
        string where = $"Malformed Arrow record batch {index}";
        var meta = new byte[block.MetaDataLength];
        ReadAt(block.Offset, meta);

        // Encapsulated message: 0xFFFFFFFF, int32 size, flatbuffer; before Arrow 0.15 the marker was absent.
        int first = BinaryPrimitives.ReadInt32LittleEndian(meta);
        int start = first == -1 ? 8 : 4;
        int size = first == -1 ? BinaryPrimitives.ReadInt32LittleEndian(meta.AsSpan(4)) : first;
        if (size <= 0 || size > meta.Length - start)
        {
            throw new InvalidDataException($"{where}: metadata size {size} does not fit the block's {meta.Length} metadata bytes.");
        }

        var (headerType, header, bodyLength) = ArrowMetadata.ReadMessage(meta, start);
        if (headerType != ArrowMetadata.HeaderRecordBatch || header is not { } batch)
        {
            throw new InvalidDataException(
                $"{where}: the footer points at a message of header type {headerType}, not a RecordBatch.");
        }

        if (bodyLength > block.BodyLength)
        {
            throw new InvalidDataException($"{where}: body length {bodyLength} exceeds the footer's {block.BodyLength}.");
        }

        var (length, nodes, buffers) = ArrowMetadata.ReadRecordBatch(batch);
        var fields = Schema.Fields;
        if (length > int.MaxValue)
        {
            throw new InvalidDataException($"{where}: {length} rows; at most {int.MaxValue} per batch are supported.");
        }

        if (nodes.Count != fields.Count)
        {
            throw new InvalidDataException($"{where}: {nodes.Count} field nodes for a schema of {fields.Count} fields.");
        }

        if (buffers.Count != _bufferCount)
        {
            throw new InvalidDataException($"{where}: {buffers.Count} buffers; the schema needs {_bufferCount}.");
        }

        var nullCounts = new int[nodes.Count];
        for (int i = 0; i < nodes.Count; i++)
        {
            long nodeLength = batch.ReadInt64At(nodes.Start + (i * 16));
            long nullCount = batch.ReadInt64At(nodes.Start + (i * 16) + 8);
            if (nodeLength != length || nullCount < 0 || nullCount > length)
            {
                throw new InvalidDataException(
                    $"{where}: column '{fields[i].Name}' has length {nodeLength} and null count {nullCount} in a batch of {length} rows.");
            }

            nullCounts[i] = (int)nullCount;
        }

        var bufferRanges = new (int Offset, int Length)[buffers.Count];
        for (int i = 0; i < buffers.Count; i++)
        {
            long offset = batch.ReadInt64At(buffers.Start + (i * 16));
            long bufferLength = batch.ReadInt64At(buffers.Start + (i * 16) + 8);
            if (offset < 0 || bufferLength < 0 || offset > bodyLength || bufferLength > bodyLength - offset)
            {
                throw new InvalidDataException(
                    $"{where}: buffer {i} (offset {offset}, length {bufferLength}) lies outside the {bodyLength}-byte body.");
            }

            bufferRanges[i] = ((int)Math.Min(offset, int.MaxValue), (int)Math.Min(bufferLength, int.MaxValue));
        }

        return new BatchMetadata((int)length, bodyLength, nullCounts, bufferRanges);
    }

    /// <summary>Validates the magics and the footer; returns the schema, the blocks and where the footer starts.</summary>
    private static (ArrowSchema Schema, ArrowBlock[] Blocks, long FooterStart) ReadFooter(Stream input)
    {
        long fileLength = input.Length;
        if (fileLength < FramingLength + 1)
        {
            throw new InvalidDataException($"Not an Arrow file: {fileLength} bytes is shorter than the file framing.");
        }

        Span<byte> head = stackalloc byte[6];
        ReadAt(input, 0, head);
        if (!head.SequenceEqual(ArrowFileWriter.Magic))
        {
            throw new InvalidDataException("Not an Arrow file: it does not start with the magic \"ARROW1\".");
        }

        Span<byte> tail = stackalloc byte[10];
        ReadAt(input, fileLength - 10, tail);
        if (!tail[4..].SequenceEqual(ArrowFileWriter.Magic))
        {
            throw new InvalidDataException(
                "Not a complete Arrow file: it does not end with the magic \"ARROW1\" (truncated, or a stream-format file).");
        }

        int footerLength = BinaryPrimitives.ReadInt32LittleEndian(tail);
        if (footerLength <= 0 || footerLength > fileLength - FramingLength)
        {
            throw new InvalidDataException($"Malformed Arrow file: footer length {footerLength} does not fit a {fileLength}-byte file.");
        }

        long footerStart = fileLength - 10 - footerLength;
        var footer = new byte[footerLength];
        ReadAt(input, footerStart, footer);
        var (schema, blocks) = ArrowMetadata.ReadFooter(footer);

        for (int i = 0; i < blocks.Length; i++)
        {
            var block = blocks[i];
            if (block.Offset < 8 || block.MetaDataLength < 8 || block.BodyLength < 0 ||
                block.Offset > footerStart || block.MetaDataLength > footerStart - block.Offset ||
                block.BodyLength > footerStart - block.Offset - block.MetaDataLength)
            {
                throw new InvalidDataException(
                    $"Malformed Arrow file: record batch block {i} (offset {block.Offset}, metadata {block.MetaDataLength} " +
                    $"bytes, body {block.BodyLength} bytes) does not lie between the header and the footer at {footerStart}.");
            }
        }

        return (schema, blocks, footerStart);
    }

    private void ReadAt(long position, Span<byte> destination) => ReadAt(_input, position, destination);

    private static void ReadAt(Stream input, long position, Span<byte> destination)
    {
        input.Seek(position, SeekOrigin.Begin);
        try
        {
            input.ReadExactly(destination);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"Malformed Arrow file: it ends before byte {position + destination.Length}.", e);
        }
    }

    private sealed record BatchMetadata(int Length, long BodyLength, int[] NullCounts, (int Offset, int Length)[] Buffers);
}
