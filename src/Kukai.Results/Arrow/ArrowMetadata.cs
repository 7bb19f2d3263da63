using System.Runtime.CompilerServices;

namespace Kukai.Results.Arrow;

/// <summary>
/// Encodes and decodes the FlatBuffers tables of Arrow's <c>Schema.fbs</c>, <c>Message.fbs</c> and
/// <c>File.fbs</c> that this implementation needs. Slot numbers are the field order in those files.
/// </summary>
internal static class ArrowMetadata
{
    /// <summary>MetadataVersion.V4: the oldest version whose layout we read (V5 only changed unions).</summary>
    public const short VersionV4 = 3;

    /// <summary>MetadataVersion.V5, written by this implementation.</summary>
    public const short VersionV5 = 4;

    public const byte HeaderSchema = 1;
    public const byte HeaderDictionaryBatch = 2;
    public const byte HeaderRecordBatch = 3;

    private const byte TypeInt = 2;
    private const byte TypeUtf8 = 5;
    private const byte TypeBool = 6;
    private const byte TypeTimestamp = 10;

    // Message
    private const int MessageVersion = 0;
    private const int MessageHeaderType = 1;
    private const int MessageHeader = 2;
    private const int MessageBodyLength = 3;

    // Schema
    private const int SchemaEndianness = 0;
    private const int SchemaFields = 1;

    // Field
    private const int FieldName = 0;
    private const int FieldNullable = 1;
    private const int FieldTypeType = 2;
    private const int FieldType = 3;
    private const int FieldDictionary = 4;
    private const int FieldChildren = 5;

    // RecordBatch
    private const int BatchLength = 0;
    private const int BatchNodes = 1;
    private const int BatchBuffers = 2;
    private const int BatchCompression = 3;

    // Footer
    private const int FooterVersion = 0;
    private const int FooterSchema = 1;
    private const int FooterDictionaries = 2;
    private const int FooterRecordBatches = 3;

    private static readonly string[] TypeNames =
    [
        "NONE", "Null", "Int", "FloatingPoint", "Binary", "Utf8", "Bool", "Decimal", "Date", "Time", "Timestamp",
        "Interval", "List", "Struct", "Union", "FixedSizeBinary", "FixedSizeList", "Map", "Duration", "LargeBinary",
        "LargeUtf8", "LargeList", "RunEndEncoded", "BinaryView", "Utf8View", "ListView", "LargeListView",
    ];

    /// <summary>A Message whose header is the schema; the body is empty.</summary>
    public static void BuildSchemaMessage(FlatBufferBuilder builder, ArrowSchema schema)
    {
        builder.Clear();
        int schemaTable = BuildSchema(builder, schema);
        builder.Finish(BuildMessage(builder, HeaderSchema, schemaTable, bodyLength: 0));
    }

    /// <summary>A Message whose header is a RecordBatch with one node per column and the given buffers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BuildRecordBatchMessage(
        FlatBufferBuilder builder,
        long length,
        ReadOnlySpan<long> nodeNullCounts,
        ReadOnlySpan<long> bufferOffsets,
        ReadOnlySpan<long> bufferLengths,
        long bodyLength)
    {
        builder.Clear();
        builder.StartVector(16, bufferOffsets.Length, 8);
        for (int i = bufferOffsets.Length - 1; i >= 0; i--)
        {
            builder.PutStruct(bufferOffsets[i], bufferLengths[i]);
        }

        int buffers = builder.EndVector();
        builder.StartVector(16, nodeNullCounts.Length, 8);
        for (int i = nodeNullCounts.Length - 1; i >= 0; i--)
        {
            builder.PutStruct(length, nodeNullCounts[i]);
        }

        int nodes = builder.EndVector();
        builder.StartTable(5);
        builder.AddInt64(BatchLength, length);
        builder.AddOffset(BatchNodes, nodes);
        builder.AddOffset(BatchBuffers, buffers);
        int batch = builder.EndTable();
        builder.Finish(BuildMessage(builder, HeaderRecordBatch, batch, bodyLength));
    }

    public static void BuildFooter(FlatBufferBuilder builder, ArrowSchema schema, IReadOnlyList<ArrowBlock> recordBatches)
    {
        builder.Clear();
        int schemaTable = BuildSchema(builder, schema);
        builder.StartVector(24, recordBatches.Count, 8);
        for (int i = recordBatches.Count - 1; i >= 0; i--)
        {
            var block = recordBatches[i];
            builder.PutBlock(block.Offset, block.MetaDataLength, block.BodyLength);
        }

        int batches = builder.EndVector();
        builder.StartVector(24, 0, 8);
        int dictionaries = builder.EndVector();
        builder.StartTable(5);
        builder.AddOffset(FooterSchema, schemaTable);
        builder.AddOffset(FooterDictionaries, dictionaries);
        builder.AddOffset(FooterRecordBatches, batches);
        builder.AddInt16(FooterVersion, VersionV5);
        builder.Finish(builder.EndTable());
    }

    /// <summary>Reads a Footer: its schema and the blocks of its record batches.</summary>
    public static (ArrowSchema Schema, ArrowBlock[] RecordBatches) ReadFooter(byte[] buffer)
    {
        var footer = FlatBufferTable.Root(buffer, 0, "footer");
        CheckVersion(footer.GetInt16(FooterVersion), "footer");
        var schemaTable = footer.GetTable(FooterSchema, "footer schema")
            ?? throw new InvalidDataException("Malformed Arrow file: the footer has no schema.");
        var schema = ReadSchema(schemaTable);

        var vector = footer.GetVector(FooterRecordBatches, 24, "footer record batches");
        var blocks = new ArrowBlock[vector.Count];
        for (int i = 0; i < blocks.Length; i++)
        {
            int at = vector.Start + (i * 24);
            blocks[i] = new ArrowBlock(footer.ReadInt64At(at), footer.ReadInt32At(at + 8), footer.ReadInt64At(at + 16));
        }

        return (schema, blocks);
    }

    /// <summary>Reads a Message: its header type, header table and body length.</summary>
    public static (byte HeaderType, FlatBufferTable? Header, long BodyLength) ReadMessage(byte[] buffer, int start)
    {
        var message = FlatBufferTable.Root(buffer, start, "message");
        CheckVersion(message.GetInt16(MessageVersion), "message");
        byte headerType = message.GetByte(MessageHeaderType);
        var header = message.GetTable(MessageHeader, "message header");
        long bodyLength = message.GetInt64(MessageBodyLength);
        if (bodyLength < 0)
        {
            throw new InvalidDataException($"Malformed Arrow message: negative body length {bodyLength}.");
        }

        return (headerType, header, bodyLength);
    }

    /// <summary>
    /// Reads a RecordBatch header: row count and the (position, count) of its FieldNode and Buffer vectors,
    /// each element 16 bytes (two int64s).
    /// </summary>
    public static (long Length, (int Start, int Count) Nodes, (int Start, int Count) Buffers) ReadRecordBatch(FlatBufferTable batch)
    {
        if (batch.Has(BatchCompression))
        {
            throw new InvalidDataException("Compressed Arrow record batches are not supported.");
        }

        long length = batch.GetInt64(BatchLength);
        if (length < 0)
        {
            throw new InvalidDataException($"Malformed Arrow record batch: negative length {length}.");
        }

        return (length, batch.GetVector(BatchNodes, 16, "record batch nodes"), batch.GetVector(BatchBuffers, 16, "record batch buffers"));
    }

    public static ArrowSchema ReadSchema(FlatBufferTable schema)
    {
        short endianness = schema.GetInt16(SchemaEndianness);
        if (endianness != 0)
        {
            throw new InvalidDataException("Big-endian Arrow data is not supported.");
        }

        var vector = schema.GetVector(SchemaFields, 4, "schema fields");
        var fields = new ArrowField[vector.Count];
        for (int i = 0; i < fields.Length; i++)
        {
            fields[i] = ReadField(schema.GetTableAt(vector, i, $"field {i}"), i);
        }

        return new ArrowSchema(fields);
    }

    private static ArrowField ReadField(FlatBufferTable field, int index)
    {
        string name = field.GetString(FieldName, $"field {index} name") ?? "";
        string label = $"field {index} '{name}'";
        if (field.Has(FieldDictionary))
        {
            throw new InvalidDataException($"Arrow {label} is dictionary-encoded, which is not supported.");
        }

        if (field.GetVector(FieldChildren, 4, $"{label} children").Count != 0)
        {
            throw new InvalidDataException($"Arrow {label} has child fields; nested types are not supported.");
        }

        byte typeType = field.GetByte(FieldTypeType);
        var typeTable = field.GetTable(FieldType, $"{label} type");
        ArrowType type = typeType switch
        {
            TypeUtf8 => ArrowType.Utf8,
            TypeBool => ArrowType.Bool,
            TypeInt => ReadInt(typeTable, label),
            TypeTimestamp => ReadTimestamp(typeTable, label),
            _ => throw new InvalidDataException(
                $"Arrow {label} has type {(typeType < TypeNames.Length ? TypeNames[typeType] : typeType.ToString(System.Globalization.CultureInfo.InvariantCulture))}; " +
                "supported types are Int32, Int64, Utf8, Bool and Timestamp."),
        };
        return new ArrowField(name, type, field.GetBool(FieldNullable));
    }

    private static ArrowType ReadInt(FlatBufferTable? table, string label)
    {
        var type = table ?? throw new InvalidDataException($"Malformed Arrow metadata: {label} has no Int type table.");
        int bitWidth = type.GetInt32(0);
        bool signed = type.GetBool(1);
        return (bitWidth, signed) switch
        {
            (32, true) => ArrowType.Int32,
            (64, true) => ArrowType.Int64,
            _ => throw new InvalidDataException(
                $"Arrow {label} is a {(signed ? "signed" : "unsigned")} {bitWidth}-bit integer; only signed 32- and 64-bit integers are supported."),
        };
    }

    private static ArrowType ReadTimestamp(FlatBufferTable? table, string label)
    {
        var type = table ?? throw new InvalidDataException($"Malformed Arrow metadata: {label} has no Timestamp type table.");
        short unit = type.GetInt16(0);
        if (unit is < 0 or > 3)
        {
            throw new InvalidDataException($"Malformed Arrow metadata: {label} has unknown time unit {unit}.");
        }

        return ArrowType.Timestamp((ArrowTimeUnit)unit, type.GetString(1, $"{label} timezone"));
    }

    private static int BuildSchema(FlatBufferBuilder builder, ArrowSchema schema)
    {
        var fields = schema.Fields;
        var fieldTables = new int[fields.Count];
        for (int i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            int name = builder.CreateString(field.Name);
            (byte typeType, int typeTable) = BuildType(builder, field.Type);
            int children = builder.CreateOffsetVector([]);
            builder.StartTable(7);
            builder.AddOffset(FieldName, name);
            builder.AddOffset(FieldType, typeTable);
            builder.AddOffset(FieldChildren, children);
            builder.AddByte(FieldTypeType, typeType);
            builder.AddBool(FieldNullable, field.IsNullable);
            fieldTables[i] = builder.EndTable();
        }

        int fieldVector = builder.CreateOffsetVector(fieldTables);
        builder.StartTable(4);
        builder.AddOffset(SchemaFields, fieldVector);
        builder.AddInt16(SchemaEndianness, 0);
        return builder.EndTable();
    }

    private static (byte TypeType, int Table) BuildType(FlatBufferBuilder builder, ArrowType type)
    {
        switch (type.Kind)
        {
            case ArrowTypeKind.Int32:
            case ArrowTypeKind.Int64:
                builder.StartTable(2);
                builder.AddInt32(0, type.Kind == ArrowTypeKind.Int32 ? 32 : 64);
                builder.AddBool(1, true);
                return (TypeInt, builder.EndTable());
            case ArrowTypeKind.Timestamp:
                int timezone = type.Timezone is null ? 0 : builder.CreateString(type.Timezone);
                builder.StartTable(2);
                if (type.Timezone is not null)
                {
                    builder.AddOffset(1, timezone);
                }

                builder.AddInt16(0, (short)type.Unit);
                return (TypeTimestamp, builder.EndTable());
            case ArrowTypeKind.Utf8:
                builder.StartTable(0);
                return (TypeUtf8, builder.EndTable());
            case ArrowTypeKind.Bool:
                builder.StartTable(0);
                return (TypeBool, builder.EndTable());
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "Unsupported Arrow type.");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int BuildMessage(FlatBufferBuilder builder, byte headerType, int header, long bodyLength)
    {
        builder.StartTable(5);
        builder.AddInt64(MessageBodyLength, bodyLength);
        builder.AddOffset(MessageHeader, header);
        builder.AddInt16(MessageVersion, VersionV5);
        builder.AddByte(MessageHeaderType, headerType);
        return builder.EndTable();
    }

    private static void CheckVersion(short version, string what)
    {
        if (version is not (VersionV4 or VersionV5))
        {
            throw new InvalidDataException(
                $"Unsupported Arrow metadata version V{version + 1} in the {what}; V4 and V5 are supported.");
        }
    }
}
