namespace Kukai.Results.Arrow;

/// <summary>
/// Reads <c>requests.arrow</c> files (any Arrow writer) back as <see cref="RequestRow"/>s. The file must have
/// the fields of <see cref="RequestRowSchema"/> in order with the same types (nullability is not compared),
/// and only <c>error</c> may hold nulls; anything else raises <see cref="InvalidDataException"/>.
/// Enumeration streams one record batch at a time, so memory stays bounded by one batch.
/// </summary>
public static class RequestRowReader
{
    /// <summary>Every row of the file, in file order. Convenient for tests and small files.</summary>
    public static IReadOnlyList<RequestRow> ReadAll(string path)
    {
        var rows = new List<RequestRow>();
        foreach (var row in Read(path))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>
    /// Rows in file order, read lazily: the file is opened when enumeration starts and closed when it ends
    /// or the enumerator is disposed.
    /// </summary>
    public static IEnumerable<RequestRow> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return ReadRows(() => ArrowFileReader.Open(path), path);
    }

    /// <summary>
    /// Rows in file order from a readable, seekable stream holding a whole file, read lazily; the stream is
    /// disposed when enumeration ends unless <paramref name="leaveOpen"/>.
    /// </summary>
    public static IEnumerable<RequestRow> Read(Stream input, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        return ReadRows(() => new ArrowFileReader(input, leaveOpen), "the stream");
    }

    /// <summary>Throws <see cref="InvalidDataException"/> unless <paramref name="schema"/> has the request fields.</summary>
    internal static void CheckSchema(ArrowSchema schema, string source)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var expected = RequestRowSchema.Schema.Fields;
        var actual = schema.Fields;
        if (actual.Count != expected.Count)
        {
            throw new InvalidDataException(
                $"{source} is not a requests file: it has {actual.Count} fields ({schema}), expected {expected.Count} ({RequestRowSchema.Schema}).");
        }

        for (int i = 0; i < expected.Count; i++)
        {
            if (actual[i].Name != expected[i].Name || actual[i].Type != expected[i].Type)
            {
                throw new InvalidDataException(
                    $"{source} is not a requests file: field {i} is '{actual[i]}', expected '{expected[i]}'.");
            }
        }
    }

    private static IEnumerable<RequestRow> ReadRows(Func<ArrowFileReader> open, string source)
    {
        using var reader = open();
        CheckSchema(reader.Schema, source);
        var driverIds = new Utf8StringCache(64);
        var targets = new Utf8StringCache(64);
        var errors = new Utf8StringCache(32);
        byte[]? body = null;
        for (int b = 0; b < reader.RecordBatchCount; b++)
        {
            var batch = reader.ReadRecordBatch(b, ref body);
            var columns = batch.Columns;
            for (int c = 0; c < columns.Count; c++)
            {
                if (columns[c].NullCount > 0 && columns[c].Field.Name != RequestRowSchema.Error)
                {
                    throw new InvalidDataException(
                        $"{source}: column '{columns[c].Field.Name}' has {columns[c].NullCount} nulls in record batch {b}; only 'error' may be null.");
                }
            }

            ArrowArray timestamp = columns[0], driverId = columns[1], target = columns[2], latency = columns[3],
                status = columns[4], success = columns[5], error = columns[6], sent = columns[7], received = columns[8];
            for (int i = 0; i < batch.Length; i++)
            {
                yield return new RequestRow(
                    timestamp.GetInt64(i),
                    driverIds.GetString(driverId.GetUtf8Bytes(i)),
                    targets.GetString(target.GetUtf8Bytes(i)),
                    latency.GetInt64(i),
                    status.GetInt32(i),
                    success.GetBoolean(i),
                    error.IsNull(i) ? null : errors.GetString(error.GetUtf8Bytes(i)),
                    sent.GetInt64(i),
                    received.GetInt64(i));
            }
        }
    }
}
