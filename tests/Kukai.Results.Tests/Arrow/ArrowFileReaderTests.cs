using System.Buffers.Binary;
using Kukai.Results.Arrow;

namespace Kukai.Results.Tests.Arrow;

public sealed class ArrowFileReaderTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(18)]
    public void Constructor_TooShort_ThrowsInvalidData(int length)
    {
        var error = Assert.Throws<InvalidDataException>(() => new ArrowFileReader(new MemoryStream(new byte[length])));

        Assert.Contains("shorter than", error.Message);
    }

    [Fact]
    public void Constructor_WrongLeadingMagic_ThrowsInvalidData()
    {
        byte[] file = SmallFile();
        file[0] = (byte)'X';

        var error = Assert.Throws<InvalidDataException>(() => new ArrowFileReader(new MemoryStream(file)));

        Assert.Contains("does not start with the magic", error.Message);
    }

    [Fact]
    public void Constructor_StreamFormatOrTruncated_ThrowsInvalidData()
    {
        byte[] file = SmallFile();

        var error = Assert.Throws<InvalidDataException>(() => new ArrowFileReader(new MemoryStream(file[..^1])));

        Assert.Contains("does not end with the magic", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(int.MaxValue)]
    public void Constructor_FooterLengthOutOfRange_ThrowsInvalidData(int footerLength)
    {
        byte[] file = SmallFile();
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(file.Length - 10), footerLength);

        var error = Assert.Throws<InvalidDataException>(() => new ArrowFileReader(new MemoryStream(file)));

        Assert.Contains("footer length", error.Message);
    }

    [Fact]
    public void ReadRecordBatch_BlockPointsAtSchemaMessage_ThrowsInvalidData()
    {
        byte[] file = SmallFile();
        int schemaMetadata = 8 + BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(12));
        byte[] forged = WithFooter(file, RequestRowSchema.Schema, [new ArrowBlock(8, schemaMetadata, 0)]);
        using var reader = new ArrowFileReader(new MemoryStream(forged));

        var error = Assert.Throws<InvalidDataException>(() => reader.ReadRecordBatch(0));

        Assert.Contains("not a RecordBatch", error.Message);
    }

    [Theory]
    [InlineData(4, 64, 0)]
    [InlineData(8, 0, 0)]
    [InlineData(8, 64, 1L << 40)]
    [InlineData(1L << 40, 64, 0)]
    public void Constructor_BlockOutsideFile_ThrowsInvalidData(long offset, int metaDataLength, long bodyLength)
    {
        byte[] forged = WithFooter(SmallFile(), RequestRowSchema.Schema, [new ArrowBlock(offset, metaDataLength, bodyLength)]);

        var error = Assert.Throws<InvalidDataException>(() => new ArrowFileReader(new MemoryStream(forged)));

        Assert.Contains("does not lie between", error.Message);
    }

    [Fact]
    public void ReadRecordBatch_FooterSchemaDisagreesWithBatch_ThrowsInvalidData()
    {
        byte[] file = SmallFile();
        using var original = new ArrowFileReader(new MemoryStream(file));
        var narrower = new ArrowSchema(RequestRowSchema.Schema.Fields.Take(8));
        byte[] forged = WithFooter(file, narrower, [original.GetBlock(0)]);
        using var reader = new ArrowFileReader(new MemoryStream(forged));

        var error = Assert.Throws<InvalidDataException>(() => reader.ReadRecordBatch(0));

        Assert.Contains("9 field nodes for a schema of 8 fields", error.Message);
    }

    [Theory]
    [InlineData(4, "Binary")]
    [InlineData(3, "FloatingPoint")]
    [InlineData(12, "List")]
    [InlineData(200, "200")]
    public void Constructor_UnsupportedFieldType_ThrowsInvalidDataNamingTheType(byte typeType, string typeName)
    {
        var builder = new FlatBufferBuilder();
        int name = builder.CreateString("payload");
        builder.StartTable(0);
        int type = builder.EndTable();
        builder.StartTable(7);
        builder.AddOffset(0, name);
        builder.AddByte(2, typeType);
        builder.AddOffset(3, type);
        int field = builder.EndTable();

        var error = Assert.Throws<InvalidDataException>(() => new ArrowFileReader(new MemoryStream(WithRawFooter(builder, field))));

        Assert.Contains($"field 0 'payload' has type {typeName}", error.Message);
    }

    [Fact]
    public void Constructor_DictionaryEncodedField_ThrowsInvalidData()
    {
        var builder = new FlatBufferBuilder();
        int name = builder.CreateString("category");
        builder.StartTable(0);
        int type = builder.EndTable();
        builder.StartTable(1);
        builder.AddInt64(0, 7);
        int dictionary = builder.EndTable();
        builder.StartTable(7);
        builder.AddOffset(0, name);
        builder.AddByte(2, 5);
        builder.AddOffset(3, type);
        builder.AddOffset(4, dictionary);
        int field = builder.EndTable();

        var error = Assert.Throws<InvalidDataException>(() => new ArrowFileReader(new MemoryStream(WithRawFooter(builder, field))));

        Assert.Contains("dictionary-encoded", error.Message);
    }

    [Fact]
    public void Constructor_OldMetadataVersion_ThrowsInvalidData()
    {
        var builder = new FlatBufferBuilder();
        builder.StartTable(4);
        int schema = builder.EndTable();
        builder.StartTable(5);
        builder.AddInt16(0, 2);
        builder.AddOffset(1, schema);
        builder.Finish(builder.EndTable());

        var error = Assert.Throws<InvalidDataException>(() => new ArrowFileReader(new MemoryStream(FileWithFooterBytes(builder.WrittenSpan))));

        Assert.Contains("Unsupported Arrow metadata version V3", error.Message);
    }

    [Fact]
    public void ReadRecordBatch_IndexOutOfRange_ThrowsArgumentOutOfRange()
    {
        using var reader = new ArrowFileReader(new MemoryStream(SmallFile()));

        Assert.Throws<ArgumentOutOfRangeException>(() => reader.ReadRecordBatch(reader.RecordBatchCount));
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.ReadRecordBatch(-1));
    }

    [Fact]
    public void Read_AnySingleByteCorruption_ThrowsOnlyInvalidData()
    {
        byte[] original = SmallFile();
        byte[] replacements = [0x00, 0xFF, 0x7F, 0x80, 0x01];
        int rejected = 0;
        for (int position = 0; position < original.Length; position++)
        {
            foreach (byte replacement in replacements)
            {
                if (original[position] == replacement)
                {
                    continue;
                }

                byte[] corrupt = (byte[])original.Clone();
                corrupt[position] = replacement;
                rejected += ReadEverythingRejects(corrupt, $"byte {position} set to 0x{replacement:X2}") ? 1 : 0;
            }
        }

        // Metadata corruptions must be caught; data bytes may change values silently.
        Assert.InRange(rejected, original.Length / 4, int.MaxValue);
    }

    [Fact]
    public void Read_AnyTruncation_ThrowsInvalidData()
    {
        byte[] original = SmallFile();
        for (int length = 0; length < original.Length; length++)
        {
            Assert.True(ReadEverythingRejects(original[..length], $"truncated to {length} bytes"), $"truncated to {length} bytes was accepted");
        }
    }

    [Fact]
    public void RequestRowReader_OtherSchema_ThrowsInvalidDataNamingTheField()
    {
        var schema = new ArrowSchema(RequestRowSchema.Schema.Fields.Select((f, i) => i == 3 ? f with { Type = ArrowType.Int32 } : f));
        var stream = new MemoryStream();
        new ArrowFileWriter(stream, schema, leaveOpen: true).Dispose();
        stream.Position = 0;

        var error = Assert.Throws<InvalidDataException>(() => RequestRowReader.Read(stream).ToList());

        Assert.Contains("field 3 is 'latency_us: int32 not null', expected 'latency_us: int64 not null'", error.Message);
    }

    [Fact]
    public void RequestRowReader_NullInNonErrorColumn_ThrowsInvalidData()
    {
        var schema = new ArrowSchema(RequestRowSchema.Schema.Fields.Select(f => f with { IsNullable = true }));
        var stream = new MemoryStream();
        using (var writer = new ArrowFileWriter(stream, schema, leaveOpen: true))
        {
            byte[] eight = new byte[8];
            byte[] offsets = new byte[8];
            var columns = new ArrowColumnData[9];
            columns[0] = new(eight);
            columns[1] = new(ReadOnlyMemory<byte>.Empty, offsets, new byte[] { 0 }, NullCount: 1);
            columns[2] = new(ReadOnlyMemory<byte>.Empty, offsets);
            columns[3] = new(eight);
            columns[4] = new(new byte[4]);
            columns[5] = new(new byte[1]);
            columns[6] = new(ReadOnlyMemory<byte>.Empty, offsets);
            columns[7] = new(eight);
            columns[8] = new(eight);
            writer.WriteBatch(1, columns);
        }

        stream.Position = 0;

        var error = Assert.Throws<InvalidDataException>(() => RequestRowReader.Read(stream).ToList());

        Assert.Contains("column 'driver_id' has 1 nulls", error.Message);
    }

    /// <summary>A few rows in two batches, with nulls and non-ASCII strings.</summary>
    internal static byte[] SmallFile()
    {
        var stream = new MemoryStream();
        using (var writer = new RequestRowWriter(stream, batchRows: 4, leaveOpen: true))
        {
            foreach (var row in TestRows.Mixed(7))
            {
                writer.Append(row);
            }
        }

        return stream.ToArray();
    }

    /// <summary>Reads the whole file through every accessor; true when it was rejected as invalid data.</summary>
    private static bool ReadEverythingRejects(byte[] file, string what)
    {
        try
        {
            using var reader = new ArrowFileReader(new MemoryStream(file));
            foreach (var batch in reader.ReadRecordBatches())
            {
                foreach (var column in batch.Columns)
                {
                    for (int i = 0; i < column.Length; i++)
                    {
                        _ = column.IsNull(i);
                        _ = column.Field.Type.Kind switch
                        {
                            ArrowTypeKind.Utf8 => (object?)column.GetString(i),
                            ArrowTypeKind.Bool => column.GetBoolean(i),
                            ArrowTypeKind.Int32 => column.GetInt32(i),
                            _ => column.GetInt64(i),
                        };
                    }
                }
            }

            _ = RequestRowReader.Read(new MemoryStream(file)).Count();
            return false;
        }
        catch (InvalidDataException)
        {
            return true;
        }
        catch (Exception e)
        {
            Assert.Fail($"{what}: {e.GetType().Name} instead of InvalidDataException: {e}");
            return false;
        }
    }

    /// <summary>The file's content up to its footer, followed by a new footer.</summary>
    private static byte[] WithFooter(byte[] file, ArrowSchema schema, ArrowBlock[] blocks)
    {
        int footerLength = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(file.Length - 10));
        var builder = new FlatBufferBuilder();
        ArrowMetadata.BuildFooter(builder, schema, blocks);
        return [.. file.AsSpan(0, file.Length - 10 - footerLength), .. FooterTrailer(builder.WrittenSpan)];
    }

    /// <summary>A file of just magic and a footer whose schema holds one hand-built field.</summary>
    private static byte[] WithRawFooter(FlatBufferBuilder builder, int field)
    {
        int fields = builder.CreateOffsetVector([field]);
        builder.StartTable(4);
        builder.AddOffset(1, fields);
        int schema = builder.EndTable();
        builder.StartTable(5);
        builder.AddInt16(0, ArrowMetadata.VersionV5);
        builder.AddOffset(1, schema);
        builder.Finish(builder.EndTable());
        return FileWithFooterBytes(builder.WrittenSpan);
    }

    private static byte[] FileWithFooterBytes(ReadOnlySpan<byte> footer) => [.. "ARROW1\0\0"u8, .. FooterTrailer(footer)];

    private static byte[] FooterTrailer(ReadOnlySpan<byte> footer)
    {
        byte[] length = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, footer.Length);
        return [.. footer, .. length, .. "ARROW1"u8];
    }
}
