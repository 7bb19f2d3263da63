using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Kukai.Results.Arrow;

/// <summary>
/// Streams <see cref="RequestRow"/>s into <c>requests.arrow</c> (schema <see cref="RequestRowSchema"/>):
/// rows collect in column buffers sized for one batch, and every <see cref="BatchRows"/> rows become one
/// record batch written to the stream, so memory stays bounded by one batch however many rows are written.
/// A batch also ends early if a string column would pass 256 MiB. <see cref="Complete"/> (or
/// <see cref="Dispose"/>) writes the last partial batch and the footer; a file of 0 rows is valid.
/// <see cref="Append"/> allocates nothing once the buffers have grown to a batch. Not thread-safe.
/// </summary>
public sealed class RequestRowWriter : IDisposable
{
    public const int DefaultBatchRows = 65_536;

    /// <summary>Upper bound for <see cref="BatchRows"/>, keeping one batch's buffers well below 1 GiB.</summary>
    public const int MaxBatchRows = 1 << 22;

    private readonly ArrowFileWriter _writer;
    private readonly byte[] _timestamps;
    private readonly byte[] _latencies;
    private readonly byte[] _statuses;
    private readonly byte[] _successes;
    private readonly byte[] _bytesSent;
    private readonly byte[] _bytesReceived;
    private readonly Utf8ColumnBuffer _driverIds;
    private readonly Utf8ColumnBuffer _targets;
    private readonly Utf8ColumnBuffer _errors;
    private readonly ArrowColumnData[] _columns = new ArrowColumnData[9];
    private int _rows;
    private bool _completed;
    private bool _disposed;

    /// <param name="output">Writable stream; need not be seekable. Block offsets count from its current position.</param>
    /// <param name="batchRows">Rows per record batch, 1 .. <see cref="MaxBatchRows"/>.</param>
    /// <param name="leaveOpen">When false, <see cref="Dispose"/> also disposes <paramref name="output"/>.</param>
    public RequestRowWriter(Stream output, int batchRows = DefaultBatchRows, bool leaveOpen = false)
        : this(output, batchRows, leaveOpen, Utf8ColumnBuffer.DefaultMaxDataBytes)
    {
    }

    /// <param name="maxStringBytesPerBatch">Per string column, the UTF-8 bytes after which a batch ends early.</param>
    internal RequestRowWriter(Stream output, int batchRows, bool leaveOpen, int maxStringBytesPerBatch)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchRows, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchRows, MaxBatchRows);
        BatchRows = batchRows;
        _timestamps = new byte[batchRows * 8];
        _latencies = new byte[batchRows * 8];
        _statuses = new byte[batchRows * 4];
        _successes = new byte[(batchRows + 7) / 8];
        _bytesSent = new byte[batchRows * 8];
        _bytesReceived = new byte[batchRows * 8];
        int stringBytes = Math.Min(batchRows * 16, 1 << 20);
        _driverIds = new Utf8ColumnBuffer(batchRows, nullable: false, cacheEncodings: true, stringBytes, maxStringBytesPerBatch);
        _targets = new Utf8ColumnBuffer(batchRows, nullable: false, cacheEncodings: true, stringBytes, maxStringBytesPerBatch);
        _errors = new Utf8ColumnBuffer(batchRows, nullable: true, cacheEncodings: false, 1024, maxStringBytesPerBatch);
        _writer = new ArrowFileWriter(output, RequestRowSchema.Schema, leaveOpen);
    }

    public int BatchRows { get; }

    /// <summary>Rows appended so far, written or buffered.</summary>
    public long RowCount { get; private set; }

    /// <summary>Record batches written so far.</summary>
    public int RecordBatchCount => _writer.RecordBatchCount;

    /// <summary>Bytes held in column buffers, encoding caches and the metadata builder.</summary>
    internal long BufferCapacityBytes =>
        _timestamps.Length + _latencies.Length + _statuses.Length + _successes.Length + _bytesSent.Length +
        _bytesReceived.Length + _driverIds.CapacityBytes + _targets.CapacityBytes + _errors.CapacityBytes +
        _writer.MetadataCapacity;

    public void Append(in RequestRow row)
    {
        ThrowIfNotWritable();
        ArgumentNullException.ThrowIfNull(row.DriverId, nameof(row));
        ArgumentNullException.ThrowIfNull(row.Target, nameof(row));
        _driverIds.CheckSize(row.DriverId, nameof(RequestRow.DriverId));
        _targets.CheckSize(row.Target, nameof(RequestRow.Target));
        _errors.CheckSize(row.Error, nameof(RequestRow.Error));
        if (_rows > 0 && (_driverIds.MightOverflow(row.DriverId) || _targets.MightOverflow(row.Target) || _errors.MightOverflow(row.Error)))
        {
            WriteBatch();
        }

        WriteFixed(row.TimestampNs, row.LatencyUs, row.Status, row.Success, row.BytesSent, row.BytesReceived);
        _driverIds.Append(row.DriverId);
        _targets.Append(row.Target);
        if (row.Error is null)
        {
            _errors.AppendNull();
        }
        else
        {
            _errors.Append(row.Error);
        }

        EndRow();
    }

    /// <summary>
    /// Appends one row whose strings are already UTF-8: the per-request sink's path, where driver ids, targets and
    /// error kinds come from small sets encoded once, so a row costs a few stores and short copies. Each string must be
    /// within a batch's limit (<see cref="MaxStringBytes"/>); <paramref name="error"/> is written only when
    /// <paramref name="hasError"/>, and is null otherwise.
    /// </summary>
    internal void AppendUtf8(
        long timestampNs,
        ReadOnlySpan<byte> driverId,
        ReadOnlySpan<byte> target,
        long latencyUs,
        int status,
        bool success,
        bool hasError,
        ReadOnlySpan<byte> error,
        long bytesSent,
        long bytesReceived)
    {
        ThrowIfNotWritable();
        if (_rows > 0 && (_driverIds.MightOverflow(driverId.Length) || _targets.MightOverflow(target.Length) || _errors.MightOverflow(error.Length)))
        {
            WriteBatch();
        }

        WriteFixed(timestampNs, latencyUs, status, success, bytesSent, bytesReceived);
        _driverIds.AppendUtf8(driverId);
        _targets.AppendUtf8(target);
        if (hasError)
        {
            _errors.AppendUtf8(error);
        }
        else
        {
            _errors.AppendNull();
        }

        EndRow();
    }

    /// <summary>The largest UTF-8 value one string column of a batch may hold.</summary>
    internal int MaxStringBytes => _driverIds.MaxDataBytes;

    /// <summary>Writes the buffered rows and the footer, and flushes. Idempotent.</summary>
    public void Complete()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed)
        {
            return;
        }

        if (_rows > 0)
        {
            WriteBatch();
        }

        _writer.Finish();
        _completed = true;
    }

    /// <summary>Completes the file (unless a write already failed) and releases the stream.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            if (!_completed && !_writer.IsFaulted)
            {
                Complete();
            }
        }
        finally
        {
            _disposed = true;
            _writer.Dispose();
        }
    }

    private void ThrowIfNotWritable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed)
        {
            throw new InvalidOperationException("The writer is complete.");
        }
    }

    private void WriteFixed(long timestampNs, long latencyUs, int status, bool success, long bytesSent, long bytesReceived)
    {
        int i = _rows;
        BinaryPrimitives.WriteInt64LittleEndian(_timestamps.AsSpan(i * 8), timestampNs);
        BinaryPrimitives.WriteInt64LittleEndian(_latencies.AsSpan(i * 8), latencyUs);
        BinaryPrimitives.WriteInt32LittleEndian(_statuses.AsSpan(i * 4), status);
        BinaryPrimitives.WriteInt64LittleEndian(_bytesSent.AsSpan(i * 8), bytesSent);
        BinaryPrimitives.WriteInt64LittleEndian(_bytesReceived.AsSpan(i * 8), bytesReceived);
        if (success)
        {
            _successes[i >> 3] |= (byte)(1 << (i & 7));
        }
    }

    private void EndRow()
    {
        _rows++;
        RowCount++;
        if (_rows == BatchRows)
        {
            WriteBatch();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // Per batch: see ArrowFileWriter.WriteBatch.
    private void WriteBatch()
    {
        int rows = _rows;
        _columns[0] = new ArrowColumnData(_timestamps.AsMemory(0, rows * 8));
        _columns[1] = _driverIds.ToColumnData();
        _columns[2] = _targets.ToColumnData();
        _columns[3] = new ArrowColumnData(_latencies.AsMemory(0, rows * 8));
        _columns[4] = new ArrowColumnData(_statuses.AsMemory(0, rows * 4));
        _columns[5] = new ArrowColumnData(_successes.AsMemory(0, (rows + 7) / 8));
        _columns[6] = _errors.ToColumnData();
        _columns[7] = new ArrowColumnData(_bytesSent.AsMemory(0, rows * 8));
        _columns[8] = new ArrowColumnData(_bytesReceived.AsMemory(0, rows * 8));
        _writer.WriteBatch(rows, _columns);

        Array.Clear(_successes, 0, (rows + 7) / 8);
        _driverIds.Reset();
        _targets.Reset();
        _errors.Reset();
        _rows = 0;
    }
}
