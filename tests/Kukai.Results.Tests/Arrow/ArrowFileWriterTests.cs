using System.Buffers.Binary;
using Kukai.Results.Arrow;

namespace Kukai.Results.Tests.Arrow;

public sealed class ArrowFileWriterTests
{
    private static readonly ArrowSchema AllTypes = new(
    [
        new ArrowField("ts", ArrowType.Timestamp(ArrowTimeUnit.Nanosecond, "UTC"), IsNullable: true),
        new ArrowField("s", ArrowType.Utf8, IsNullable: true),
        new ArrowField("i64", ArrowType.Int64, IsNullable: true),
        new ArrowField("i32", ArrowType.Int32, IsNullable: true),
        new ArrowField("b", ArrowType.Bool, IsNullable: true),
        new ArrowField("plain", ArrowType.Int64, IsNullable: false),
    ]);

    [Fact]
    public void WriteBatch_AllTypesWithNulls_ReadBackValuesAndNulls()
    {
        var stream = new MemoryStream();
        using (var writer = new ArrowFileWriter(stream, AllTypes, leaveOpen: true))
        {
            writer.WriteBatch(3, AllTypesBatch());
        }

        stream.Position = 0;
        using var reader = new ArrowFileReader(stream);
        var batch = Assert.Single(reader.ReadRecordBatches());
        Assert.Equal(AllTypes, reader.Schema);
        Assert.Equal(3, batch.Length);
        var (ts, s, i64, i32, b, plain) = (batch.Columns[0], batch.Columns[1], batch.Columns[2], batch.Columns[3], batch.Columns[4], batch.Columns[5]);
        Assert.Equal([false, true, false], Enumerable.Range(0, 3).Select(ts.IsNull));
        Assert.Equal([long.MinValue, long.MaxValue], [ts.GetInt64(0), ts.GetInt64(2)]);
        Assert.Equal(["ab", null, "ü"], Enumerable.Range(0, 3).Select(s.GetString));
        Assert.Equal([1, 3], [i64.GetInt64(0), i64.GetInt64(2)]);
        Assert.True(i64.IsNull(1));
        Assert.Equal([-7, 9], [i32.GetInt32(0), i32.GetInt32(2)]);
        Assert.Equal([true, false], [b.GetBoolean(0), b.GetBoolean(2)]);
        Assert.Equal([10L, 20L, 30L], Enumerable.Range(0, 3).Select(plain.GetInt64));
        Assert.Equal([1, 1, 1, 1, 1, 0], batch.Columns.Select(c => c.NullCount));
    }

    [Fact]
    public void Finish_FileLayout_FollowsIpcFileFormat()
    {
        var stream = new MemoryStream();
        using (var writer = new ArrowFileWriter(stream, AllTypes, leaveOpen: true))
        {
            writer.WriteBatch(3, AllTypesBatch());
            writer.WriteBatch(0, [new(default, new byte[4]), new(default, new byte[4]), new(default), new(default), new(default), new(default)]);
        }

        byte[] file = stream.ToArray();
        Assert.Equal("ARROW1\0\0"u8.ToArray(), file[..8]);
        Assert.Equal("ARROW1"u8.ToArray(), file[^6..]);
        int footerLength = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(file.Length - 10));
        int footerStart = file.Length - 10 - footerLength;
        Assert.Equal(0, footerStart % 8);
        // End-of-stream marker right before the footer.
        Assert.Equal(-1, BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(footerStart - 8)));
        Assert.Equal(0, BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(footerStart - 4)));
        // The schema message follows the magic: continuation marker and a padded length.
        Assert.Equal(-1, BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(8)));
        Assert.Equal(0, BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(12)) % 8);

        stream.Position = 0;
        using var reader = new ArrowFileReader(stream);
        Assert.Equal(2, reader.RecordBatchCount);
        long expectedOffset = 16 + BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(12));
        for (int i = 0; i < reader.RecordBatchCount; i++)
        {
            var block = reader.GetBlock(i);
            Assert.Equal(expectedOffset, block.Offset);
            Assert.Equal(0, block.Offset % 8);
            Assert.Equal(0, block.MetaDataLength % 8);
            Assert.Equal(0, block.BodyLength % 8);
            Assert.Equal(block.MetaDataLength - 8, BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan((int)block.Offset + 4)));
            expectedOffset = block.End;
        }

        Assert.Equal(footerStart - 8, expectedOffset);
        Assert.Equal(0, reader.ReadRecordBatch(1).Length);
    }

    [Fact]
    public void WriteBatch_ColumnWithoutNulls_WritesEmptyValidityAndPaddedBuffers()
    {
        var stream = new MemoryStream();
        using (var writer = new RequestRowWriter(stream, batchRows: 10, leaveOpen: true))
        {
            writer.Append(new RequestRow(1, "d", "t", 2, 200, true, null, 3, 4));
            writer.Append(new RequestRow(1, "d", "t", 2, 200, true, "x", 3, 4));
            writer.Complete();
        }

        stream.Position = 0;
        using var reader = new ArrowFileReader(stream);
        var buffers = RecordBatchBuffers(stream.ToArray(), reader.GetBlock(0));
        // 9 columns: validity + values, plus offsets for the 3 strings.
        Assert.Equal(21, buffers.Length);
        Assert.All(buffers, b => Assert.Equal(0, b.Offset % 8));
        Assert.Equal(0, buffers[0].Length);                  // timestamp validity: no nulls, no bitmap
        Assert.Equal(16, buffers[1].Length);                 // 2 timestamps
        Assert.Equal(1, buffers[14].Length);                 // error validity: 1 null, 1 byte
        Assert.Equal(12, buffers[15].Length);                // error offsets: 3 int32s
        Assert.Equal(1, buffers[16].Length);                 // error data: "x"
    }

    [Fact]
    public void WriteBatch_InvalidColumns_RejectedAndFileStillValid()
    {
        var stream = new MemoryStream();
        using (var writer = new ArrowFileWriter(stream, AllTypes, leaveOpen: true))
        {
            var good = AllTypesBatch();
            Assert.Throws<ArgumentException>(() => writer.WriteBatch(3, good[..5]));
            Assert.Throws<ArgumentException>(() => writer.WriteBatch(3, Replace(good, 5, new ArrowColumnData(new byte[24], Validity: new byte[] { 0b011 }, NullCount: 1))));
            Assert.Throws<ArgumentException>(() => writer.WriteBatch(3, Replace(good, 2, good[2] with { NullCount = 2 })));
            Assert.Throws<ArgumentException>(() => writer.WriteBatch(3, Replace(good, 2, good[2] with { Values = new byte[23] })));
            Assert.Throws<ArgumentException>(() => writer.WriteBatch(3, Replace(good, 1, good[1] with { Offsets = Offsets(0, 2, 1, 3) })));
            Assert.Throws<ArgumentException>(() => writer.WriteBatch(3, Replace(good, 1, good[1] with { Offsets = Offsets(1, 2, 2, 4) })));
            Assert.Throws<ArgumentException>(() => writer.WriteBatch(3, Replace(good, 1, good[1] with { Offsets = Offsets(0, 2, 2, 99) })));
            Assert.Throws<ArgumentException>(() => writer.WriteBatch(3, Replace(good, 4, good[4] with { Validity = ReadOnlyMemory<byte>.Empty })));
            writer.WriteBatch(3, good);
        }

        stream.Position = 0;
        using var reader = new ArrowFileReader(stream);
        Assert.Equal(1, reader.RecordBatchCount);
        Assert.Equal("ü", reader.ReadRecordBatch(0).Columns[1].GetString(2));
    }

    [Fact]
    public void Constructor_NonSeekableStream_WritesReadableFile()
    {
        var sink = new MemoryStream();
        using (var writer = new ArrowFileWriter(new WriteOnlyStream(sink), AllTypes))
        {
            writer.WriteBatch(3, AllTypesBatch());
        }

        using var reader = new ArrowFileReader(new MemoryStream(sink.ToArray()));
        Assert.Equal(3, reader.ReadRecordBatch(0).Length);
    }

    [Fact]
    public void WriteBatch_AfterFinish_Throws()
    {
        using var writer = new ArrowFileWriter(new MemoryStream(), AllTypes);
        writer.Finish();
        writer.Finish();

        Assert.Throws<InvalidOperationException>(() => writer.WriteBatch(3, AllTypesBatch()));
    }

    [Fact]
    public void Dispose_AfterFailedWrite_DoesNotThrowOrWriteFooter()
    {
        long headerBytes;
        using (var probe = new ArrowFileWriter(new MemoryStream(), AllTypes))
        {
            headerBytes = probe.BytesWritten;
        }

        var failing = new FailingStream(failAfterBytes: headerBytes + 16);
        var writer = new ArrowFileWriter(failing, AllTypes);

        Assert.Throws<IOException>(() => writer.WriteBatch(3, AllTypesBatch()));
        Assert.Throws<InvalidOperationException>(() => writer.WriteBatch(3, AllTypesBatch()));
        writer.Dispose();
        Assert.True(failing.Disposed);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(8, 4)]
    [InlineData(9, 5)]
    [InlineData(64, 32)]
    [InlineData(67, 35)]
    public void CountSetBits_AlternatingBitmap_CountsOnlyTheFirstLengthBits(int length, int expected)
    {
        // 0x55 (4 bits set) per full byte, then ones; bits past length must not be counted.
        byte[] bitmap = [.. Enumerable.Repeat((byte)0x55, length / 8), 0xFF, 0xFF];
        if (length % 8 != 0)
        {
            bitmap[length / 8] = 0xFF;
        }

        int set = ArrowFileWriter.CountSetBits(bitmap, length);

        Assert.Equal(expected, set);
    }

    internal static (long Offset, long Length)[] RecordBatchBuffers(byte[] file, ArrowBlock block)
    {
        byte[] meta = file.AsSpan((int)block.Offset, block.MetaDataLength).ToArray();
        var (_, header, _) = ArrowMetadata.ReadMessage(meta, 8);
        var (_, _, buffers) = ArrowMetadata.ReadRecordBatch(header!.Value);
        var result = new (long, long)[buffers.Count];
        for (int i = 0; i < buffers.Count; i++)
        {
            result[i] = (header.Value.ReadInt64At(buffers.Start + (i * 16)), header.Value.ReadInt64At(buffers.Start + (i * 16) + 8));
        }

        return result;
    }

    /// <summary>Three rows; every nullable column has its middle row null.</summary>
    private static ArrowColumnData[] AllTypesBatch()
    {
        byte[] middleNull = [0b101];
        byte[] timestamps = new byte[24];
        BinaryPrimitives.WriteInt64LittleEndian(timestamps, long.MinValue);
        BinaryPrimitives.WriteInt64LittleEndian(timestamps.AsSpan(16), long.MaxValue);
        byte[] int64s = new byte[24];
        BinaryPrimitives.WriteInt64LittleEndian(int64s, 1);
        BinaryPrimitives.WriteInt64LittleEndian(int64s.AsSpan(16), 3);
        byte[] int32s = new byte[12];
        BinaryPrimitives.WriteInt32LittleEndian(int32s, -7);
        BinaryPrimitives.WriteInt32LittleEndian(int32s.AsSpan(8), 9);
        byte[] plain = new byte[24];
        for (int i = 0; i < 3; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(plain.AsSpan(i * 8), (i + 1) * 10);
        }

        return
        [
            new(timestamps, Validity: middleNull, NullCount: 1),
            new("abü"u8.ToArray(), Offsets(0, 2, 2, 4), middleNull, 1),
            new(int64s, Validity: middleNull, NullCount: 1),
            new(int32s, Validity: middleNull, NullCount: 1),
            new(new byte[] { 0b001 }, Validity: middleNull, NullCount: 1),
            new(plain),
        ];
    }

    private static byte[] Offsets(params int[] offsets)
    {
        byte[] bytes = new byte[offsets.Length * 4];
        for (int i = 0; i < offsets.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * 4), offsets[i]);
        }

        return bytes;
    }

    private static ArrowColumnData[] Replace(ArrowColumnData[] columns, int index, ArrowColumnData column)
    {
        var copy = (ArrowColumnData[])columns.Clone();
        copy[index] = column;
        return copy;
    }

    private sealed class WriteOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    private sealed class FailingStream(long failAfterBytes) : Stream
    {
        private long _written;

        public bool Disposed { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count)
        {
            _written += count;
            if (_written > failAfterBytes)
            {
                throw new IOException("disk full");
            }
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}
