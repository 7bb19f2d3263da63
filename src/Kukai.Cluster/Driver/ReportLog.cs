using Kukai.Cluster.Messages;

namespace Kukai.Cluster.Driver;

/// <summary>
/// A test's reports as this driver sent them, kept for the orchestrator's resend requests until it releases the
/// test: encoded and appended to a file in the spool folder (deleted when closed), with a small index in memory, so a
/// long test costs a few bytes of memory per report rather than the report. When the file cannot be made the encoded
/// reports stay in memory. Also the test's acknowledgement and finished message, which a resend repeats: an
/// orchestrator restarted mid-test rebuilds the test from them. Thread-safe.
/// </summary>
internal sealed class ReportLog : IDisposable
{
    private readonly Lock _sync = new();
    private readonly FileStream? _file;
    private readonly List<byte[]>? _memory;
    private readonly List<(long Seq, long Offset, int Length)> _index = [];

    public ReportLog(string path)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            _file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 4096, FileOptions.DeleteOnClose);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _memory = [];
        }
    }

    private AckMessage? _ack;
    private FinishedMessage? _finished;

    /// <summary>True when the reports are kept on disk (false: the memory fallback).</summary>
    public bool OnDisk => _file is not null;

    public void Add(ReportMessage report)
    {
        var bytes = ClusterMessageCodec.Encode(report);
        lock (_sync)
        {
            if (_file is null)
            {
                _index.Add((report.Seq, _memory!.Count, bytes.Length));
                _memory.Add(bytes);
                return;
            }

            var offset = _file.Seek(0, SeekOrigin.End);
            _file.Write(bytes);
            _index.Add((report.Seq, offset, bytes.Length));
        }
    }

    /// <summary>The acknowledgement as it was sent (its original send time: later heartbeats are ordered against it).</summary>
    public AckMessage? Ack
    {
        get
        {
            lock (_sync)
            {
                return _ack;
            }
        }

        set
        {
            lock (_sync)
            {
                _ack = value;
            }
        }
    }

    /// <summary>The finished message as it was sent, once the test ended.</summary>
    public FinishedMessage? Finished
    {
        get
        {
            lock (_sync)
            {
                return _finished;
            }
        }

        set
        {
            lock (_sync)
            {
                _finished = value;
            }
        }
    }

    /// <summary>The reports with <paramref name="from"/> ≤ seq ≤ <paramref name="to"/>, in the order they were sent.</summary>
    public List<ReportMessage> Range(long from, long to)
    {
        var reports = new List<ReportMessage>();
        lock (_sync)
        {
            foreach (var (seq, offset, length) in _index)
            {
                if (seq < from || seq > to)
                {
                    continue;
                }

                byte[] bytes;
                if (_file is null)
                {
                    bytes = _memory![(int)offset];
                }
                else
                {
                    bytes = new byte[length];
                    _file.Seek(offset, SeekOrigin.Begin);
                    _file.ReadExactly(bytes);
                }

                if (ClusterMessageCodec.TryDecode(bytes, out var message, out _) && message is ReportMessage report)
                {
                    reports.Add(report);
                }
            }
        }

        return reports;
    }

    public void Dispose()
    {
        lock (_sync)
        {
            _file?.Dispose();
        }
    }
}
