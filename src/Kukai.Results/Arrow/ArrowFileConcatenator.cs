namespace Kukai.Results.Arrow;

/// <summary>
/// Merges Arrow IPC files with identical schemas (names, types and nullability) into one file, copying each
/// record-batch message verbatim and writing a new footer; rows are never decoded. Used by the orchestrator
/// to merge per-driver <c>requests.arrow</c> files.
/// </summary>
public static class ArrowFileConcatenator
{
    /// <summary>
    /// Writes the batches of <paramref name="inputPaths"/>, in order, to <paramref name="output"/> (left open).
    /// All inputs are validated (footer, schema, every batch header and its 8-byte alignment) before anything
    /// is written, so a rejected input (<see cref="InvalidDataException"/>) leaves <paramref name="output"/>
    /// untouched.
    /// </summary>
    public static void Concatenate(IReadOnlyList<string> inputPaths, Stream output)
    {
        ArgumentNullException.ThrowIfNull(inputPaths);
        ArgumentNullException.ThrowIfNull(output);
        if (inputPaths.Count == 0)
        {
            throw new ArgumentException("At least one input file is needed to know the schema.", nameof(inputPaths));
        }

        // Pass 1: validate every input without writing.
        ArrowSchema? schema = null;
        foreach (string path in inputPaths)
        {
            using var reader = ArrowFileReader.Open(path);
            if (schema is null)
            {
                schema = reader.Schema;
            }
            else if (!schema.Equals(reader.Schema))
            {
                throw new InvalidDataException(
                    $"{path} has schema ({reader.Schema}), which differs from {inputPaths[0]} ({schema}).");
            }

            for (int i = 0; i < reader.RecordBatchCount; i++)
            {
                reader.ValidateRecordBatchMetadata(i);
                var block = reader.GetBlock(i);
                if (block.Offset % 8 != 0 || block.MetaDataLength % 8 != 0 || block.BodyLength % 8 != 0)
                {
                    throw new InvalidDataException(
                        $"{path}: record batch {i} is not padded to 8-byte boundaries, so it cannot be copied verbatim.");
                }
            }
        }

        // Pass 2: copy.
        using var writer = new ArrowFileWriter(output, schema!, leaveOpen: true);
        foreach (string path in inputPaths)
        {
            using var reader = ArrowFileReader.Open(path);
            for (int i = 0; i < reader.RecordBatchCount; i++)
            {
                writer.CopyRecordBatch(reader.Stream, reader.GetBlock(i));
            }
        }

        writer.Finish();
    }
}
