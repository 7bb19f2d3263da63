using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Kukai.Results.Arrow;

/// <summary>
/// Writes the Arrow IPC file format (metadata V5, little-endian, no compression) to a stream as it goes:
/// 1. the constructor writes the magic and the schema message;
/// 2. each <see cref="WriteBatch"/> writes one record-batch message (bodies padded to 8 bytes);
/// 3. <see cref="Finish"/> (or <see cref="Dispose"/>) writes the end-of-stream marker, the footer with the
///    schema and every batch's block, the footer length and the closing magic.
/// Memory held is the metadata builder and one footer entry per batch; column data is never copied.
/// Block offsets count from the stream position at construction, which is the file offset when that is 0.
/// Not thread-safe.
/// </summary>
public sealed class ArrowFileWriter : IDisposable
{
    internal static ReadOnlySpan<byte> Magic => "ARROW1"u8;

    private static readonly byte[] Padding = new byte[8];

    private readonly Stream _output;
    private readonly bool _leaveOpen;
    private readonly FlatBufferBuilder _builder = new();
    private readonly List<ArrowBlock> _blocks = [];
    private readonly long[] _nullCounts;
    private readonly long[] _bufferOffsets;
    private readonly long[] _bufferLengths;
    private readonly ReadOnlyMemory<byte>[] _bodyBuffers;
    private long _position;
    private bool _finished;
    private bool _faulted;
    private bool _disposed;

    /// <param name="output">A writable stream; it need not be seekable.</param>
    /// <param name="schema">The columns of every batch.</param>
    /// <param name="leaveOpen">When false, <see cref="Dispose"/> also disposes <paramref name="output"/>.</param>
    public ArrowFileWriter(Stream output, ArrowSchema schema, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(schema);
        if (!output.CanWrite)
        {
            throw new ArgumentException("The output stream is not writable.", nameof(output));
        }

        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The Arrow writer requires a little-endian machine.");
        }

        _output = output;
        _leaveOpen = leaveOpen;
        Schema = schema;
        int bufferCount = 0;
        foreach (var field in schema.Fields)
        {
            bufferCount += field.Type.BufferCount;
        }

        _nullCounts = new long[schema.Fields.Count];
        _bufferOffsets = new long[bufferCount];
        _bufferLengths = new long[bufferCount];
        _bodyBuffers = new ReadOnlyMemory<byte>[bufferCount];

        Guard(() =>
        {
            Write(Magic);
            Write(Padding.AsSpan(0, 2));
            ArrowMetadata.BuildSchemaMessage(_builder, schema);
            WriteMessageMetadata(_builder.WrittenSpan);
        });
    }

    public ArrowSchema Schema { get; }

    /// <summary>Record batches written so far.</summary>
    public int RecordBatchCount => _blocks.Count;

    /// <summary>Bytes written to the stream so far.</summary>
    public long BytesWritten => _position;

    /// <summary>Capacity of the reusable metadata buffer, in bytes (for memory-bound checks).</summary>
    internal int MetadataCapacity => _builder.Capacity;

    /// <summary>True once a write to the stream failed; the file cannot be finished.</summary>
    internal bool IsFaulted => _faulted;

    /// <summary>
    /// Writes one record batch of <paramref name="length"/> rows; <paramref name="columns"/> follow the schema
    /// order. The batch is validated completely before anything is written, so a rejected batch
    /// (<see cref="ArgumentException"/>) leaves the file intact.
    /// </summary>
    /// <remarks>
    /// The per-batch path is compiled fully optimised at its first call. Tiered compilation would recompile it about
    /// thirty batches (some four million rows) into a run, and the JIT's working memory for that recompilation, kept
    /// by the native allocator afterwards, showed as a one-time 5 MB step in the resident memory of a recording run.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void WriteBatch(int length, ReadOnlySpan<ArrowColumnData> columns)
    {
        ThrowIfDone();
        var fields = Schema.Fields;
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (columns.Length != fields.Count)
        {
            throw new ArgumentException($"Expected {fields.Count} columns, got {columns.Length}.", nameof(columns));
        }

        // Steps 1-2: validate every column and lay its buffers out in the body, each at an 8-byte boundary.
        long bodyLength = 0;
        int b = 0;
        for (int c = 0; c < columns.Length; c++)
        {
            var field = fields[c];
            var column = columns[c];
            int bitmapBytes = (length + 7) / 8;
            if (column.NullCount < 0 || column.NullCount > length)
            {
                throw ColumnError(field, $"null count {column.NullCount} is outside 0..{length}");
            }

            var validity = ReadOnlyMemory<byte>.Empty;
            if (column.NullCount > 0)
            {
                if (!field.IsNullable)
                {
                    throw ColumnError(field, "has nulls but the field is not nullable");
                }

                if (column.Validity.Length < bitmapBytes)
                {
                    throw ColumnError(field, $"validity bitmap has {column.Validity.Length} bytes, needs {bitmapBytes}");
                }

                validity = column.Validity[..bitmapBytes];
                int valid = CountSetBits(validity.Span, length);
                if (length - valid != column.NullCount)
                {
                    throw ColumnError(field, $"validity bitmap has {length - valid} nulls but the null count says {column.NullCount}");
                }
            }

            _nullCounts[c] = column.NullCount;
            Place(ref b, ref bodyLength, validity);
            switch (field.Type.Kind)
            {
                case ArrowTypeKind.Utf8:
                    long offsetBytes = (length + 1L) * 4;
                    if (column.Offsets.Length < offsetBytes)
                    {
                        throw ColumnError(field, $"offsets buffer has {column.Offsets.Length} bytes, needs {offsetBytes}");
                    }

                    var offsets = column.Offsets[..(int)offsetBytes];
                    int dataBytes = CheckOffsets(field, offsets.Span, column.Values.Length);
                    Place(ref b, ref bodyLength, offsets);
                    Place(ref b, ref bodyLength, column.Values[..dataBytes]);
                    break;
                case ArrowTypeKind.Bool:
                    Place(ref b, ref bodyLength, RequireBytes(field, column.Values, bitmapBytes));
                    break;
                default:
                    Place(ref b, ref bodyLength, RequireBytes(field, column.Values, (long)length * field.Type.ByteWidth));
                    break;
            }
        }

        // Step 3: metadata, then the buffers with their padding.
        Guard([MethodImpl(MethodImplOptions.AggressiveOptimization)] () =>
        {
            ArrowMetadata.BuildRecordBatchMessage(_builder, length, _nullCounts, _bufferOffsets, _bufferLengths, bodyLength);
            long offset = _position;
            int metaDataLength = WriteMessageMetadata(_builder.WrittenSpan);
            for (int i = 0; i < _bodyBuffers.Length; i++)
            {
                var buffer = _bodyBuffers[i].Span;
                Write(buffer);
                Write(Padding.AsSpan(0, PaddingFor(buffer.Length)));
                _bodyBuffers[i] = default;
            }

            _blocks.Add(new ArrowBlock(offset, metaDataLength, bodyLength));
        });
    }

    /// <summary>Writes the end-of-stream marker and the footer, then flushes. Idempotent.</summary>
    public void Finish()
    {
        if (_finished)
        {
            return;
        }

        ThrowIfDone();
        Guard(() =>
        {
            Span<byte> endOfStream = stackalloc byte[8];
            BinaryPrimitives.WriteInt32LittleEndian(endOfStream, -1);
            BinaryPrimitives.WriteInt32LittleEndian(endOfStream[4..], 0);
            Write(endOfStream);

            ArrowMetadata.BuildFooter(_builder, Schema, _blocks);
            var footer = _builder.WrittenSpan;
            Write(footer);
            Span<byte> footerLength = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(footerLength, footer.Length);
            Write(footerLength);
            Write(Magic);
            _output.Flush();
            _finished = true;
        });
    }

    /// <summary>Finishes the file unless a write already failed, then releases the stream.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            if (!_faulted)
            {
                Finish();
            }
        }
        finally
        {
            _disposed = true;
            if (!_leaveOpen)
            {
                _output.Dispose();
            }
        }
    }

    /// <summary>
    /// Copies one already encoded record-batch message verbatim from <paramref name="source"/> (used to merge
    /// files without decoding rows). The caller has validated the message and its 8-byte alignment.
    /// </summary>
    internal void CopyRecordBatch(Stream source, ArrowBlock block)
    {
        ThrowIfDone();
        Guard(() =>
        {
            long offset = _position;
            source.Seek(block.Offset, SeekOrigin.Begin);
            long remaining = block.MetaDataLength + block.BodyLength;
            byte[] chunk = ArrayPool<byte>.Shared.Rent((int)Math.Min(remaining, 1 << 20) + 1);
            try
            {
                while (remaining > 0)
                {
                    int count = (int)Math.Min(remaining, chunk.Length);
                    source.ReadExactly(chunk, 0, count);
                    Write(chunk.AsSpan(0, count));
                    remaining -= count;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }

            _blocks.Add(block with { Offset = offset });
        });
    }

    /// <summary>Counts the set bits among the first <paramref name="length"/> bits (LSB first).</summary>
    internal static int CountSetBits(ReadOnlySpan<byte> bitmap, int length)
    {
        int count = 0;
        int fullBytes = length / 8;
        int i = 0;
        for (; i + 8 <= fullBytes; i += 8)
        {
            count += BitOperations.PopCount(BinaryPrimitives.ReadUInt64LittleEndian(bitmap[i..]));
        }

        for (; i < fullBytes; i++)
        {
            count += BitOperations.PopCount(bitmap[i]);
        }

        int rest = length & 7;
        if (rest != 0)
        {
            count += BitOperations.PopCount((uint)(bitmap[fullBytes] & ((1 << rest) - 1)));
        }

        return count;
    }

    private static int PaddingFor(long length) => (int)(-length & 7);

    private void Place(ref int index, ref long bodyLength, ReadOnlyMemory<byte> buffer)
    {
        _bodyBuffers[index] = buffer;
        _bufferOffsets[index] = bodyLength;
        _bufferLengths[index] = buffer.Length;
        bodyLength += buffer.Length + PaddingFor(buffer.Length);
        index++;
    }

    private static ReadOnlyMemory<byte> RequireBytes(ArrowField field, ReadOnlyMemory<byte> values, long needed)
    {
        if (values.Length < needed)
        {
            throw ColumnError(field, $"values buffer has {values.Length} bytes, needs {needed}");
        }

        return values[..(int)needed];
    }

    /// <summary>Checks that offsets start at 0 and never decrease; returns the data length they cover.</summary>
    private static int CheckOffsets(ArrowField field, ReadOnlySpan<byte> offsets, int dataLength)
    {
        int previous = BinaryPrimitives.ReadInt32LittleEndian(offsets);
        if (previous != 0)
        {
            throw ColumnError(field, $"first offset is {previous}, must be 0");
        }

        for (int at = 4; at < offsets.Length; at += 4)
        {
            int next = BinaryPrimitives.ReadInt32LittleEndian(offsets[at..]);
            if (next < previous)
            {
                throw ColumnError(field, $"offset {at / 4} ({next}) is below the one before it ({previous})");
            }

            previous = next;
        }

        if (previous > dataLength)
        {
            throw ColumnError(field, $"offsets reach byte {previous} but the data buffer has {dataLength} bytes");
        }

        return previous;
    }

    private static ArgumentException ColumnError(ArrowField field, string detail) =>
        new($"Column '{field.Name}': {detail}.", "columns");

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int WriteMessageMetadata(ReadOnlySpan<byte> flatbuffer)
    {
        int padding = PaddingFor(flatbuffer.Length);
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(prefix, -1);
        BinaryPrimitives.WriteInt32LittleEndian(prefix[4..], flatbuffer.Length + padding);
        Write(prefix);
        Write(flatbuffer);
        Write(Padding.AsSpan(0, padding));
        return 8 + flatbuffer.Length + padding;
    }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        _output.Write(bytes);
        _position += bytes.Length;
    }

    private void Guard(Action write)
    {
        try
        {
            write();
        }
        catch
        {
            // A partial write leaves the file unusable: stop, and do not write a footer on Dispose.
            _faulted = true;
            throw;
        }
    }

    private void ThrowIfDone()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_faulted)
        {
            throw new InvalidOperationException("A previous write to the Arrow file failed; the file is incomplete.");
        }

        if (_finished)
        {
            throw new InvalidOperationException("The Arrow file is already finished.");
        }
    }
}
