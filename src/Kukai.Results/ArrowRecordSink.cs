using System.Collections.Concurrent;
using System.Text;
using Kukai.Engine.Metrics;
using Kukai.Engine.Protocols;
using Kukai.Results.Arrow;

namespace Kukai.Results;

/// <summary>
/// Streams a run's per-request records into a <c>requests.arrow</c> file from a writer thread, while the test runs.
/// Memory is bounded: at most <see cref="QueueChunks"/> chunks of <see cref="ChunkRecords"/> records wait for the
/// disk, and load threads block (back-pressure) rather than queue more.
/// </summary>
public sealed class ArrowRecordSink : IRequestRecordSink, IDisposable
{
    public const int ChunkRecords = 16_384;
    public const int QueueChunks = 8;

    /// <summary>Chunks allocated up front: a full queue, one being written and one being filled.</summary>
    public const int PooledChunks = QueueChunks + 2;

    private readonly RequestRowWriter _writer;
    private readonly byte[] _driverId;
    private readonly byte[][] _targets;
    private readonly byte[][] _errors;
    private readonly BlockingCollection<(RequestRecord[] Chunk, int Count)> _queue = new(QueueChunks);
    private readonly ConcurrentBag<RequestRecord[]> _free = [];
    private readonly Thread _thread;
    private Exception? _failure;
    private long? _rows;
    private bool _disposed;

    private ArrowRecordSink(Stream output, string driverId, string[] targets)
    {
        _writer = new RequestRowWriter(output);

        // Every string a row can hold, encoded once: a row is then a few stores and short copies.
        _driverId = Utf8(driverId, "driver id");
        _targets = [.. targets.Select(t => Utf8(t, "target"))];
        _errors = new byte[byte.MaxValue + 1][];
        foreach (var kind in Enum.GetValues<ErrorKind>())
        {
            _errors[(byte)kind] = Encoding.UTF8.GetBytes(kind.ToWireName());
        }

        // Every chunk the queue can hold, and the ones being filled and written, exist from the start: the sink's
        // memory is its bound from the first second, rather than growing in steps whenever the disk falls behind.
        for (var i = 0; i < PooledChunks; i++)
        {
            _free.Add(new RequestRecord[ChunkRecords]);
        }

        _thread = new Thread(WriteLoop) { IsBackground = true, Name = "kukai-arrow-writer" };
        _thread.Start();
    }

    /// <summary>Creates the file (and its folder) and starts the writer thread.</summary>
    public static ArrowRecordSink Create(string path, string driverId, string[] targetKeys)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 20);
        try
        {
            return new ArrowRecordSink(stream, driverId, targetKeys);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    public RequestRecord[] Rent() => _free.TryTake(out var chunk) ? chunk : new RequestRecord[ChunkRecords];

    public void Submit(RequestRecord[] chunk, int count)
    {
        if (_failure is not null || _queue.IsAddingCompleted)
        {
            _free.Add(chunk);
            return;
        }

        _queue.Add((chunk, count));
    }

    /// <summary>Writes what is queued and the file's footer; returns the number of rows. Idempotent.</summary>
    public long Complete()
    {
        if (_rows is { } done)
        {
            return done;
        }

        _queue.CompleteAdding();
        _thread.Join();
        if (_failure is not null)
        {
            throw new IOException($"writing requests.arrow failed: {_failure.Message}", _failure);
        }

        _writer.Complete();
        _writer.Dispose();
        _rows = _writer.RowCount;
        return _rows.Value;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_rows is null)
        {
            _queue.CompleteAdding();
            _thread.Join();
            try
            {
                _writer.Dispose();
            }
            catch (IOException)
            {
                // Disposal after a failure: the failure was already reported by Complete, or never will be needed.
            }
        }

        _queue.Dispose();
    }

    private byte[] Utf8(string value, string what)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        if (bytes.Length > _writer.MaxStringBytes)
        {
            throw new ArgumentException($"The {what} is longer than {_writer.MaxStringBytes} UTF-8 bytes.", nameof(value));
        }

        return bytes;
    }

    private void WriteChunk(ReadOnlySpan<RequestRecord> records)
    {
        foreach (ref readonly var r in records)
        {
            var ok = r.Error == ErrorKind.None;
            _writer.AppendUtf8(
                r.TimestampNs,
                _driverId,
                _targets[r.TargetIndex],
                r.LatencyUs,
                r.Status,
                ok,
                hasError: !ok,
                ok ? default : _errors[(byte)r.Error],
                r.BytesSent,
                r.BytesReceived);
        }
    }

    private void WriteLoop()
    {
        foreach (var (chunk, count) in _queue.GetConsumingEnumerable())
        {
            try
            {
                if (_failure is null)
                {
                    WriteChunk(chunk.AsSpan(0, count));
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _failure = ex;
            }
            finally
            {
                _free.Add(chunk);
            }
        }
    }
}
