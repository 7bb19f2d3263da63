using Kukai.Engine.Metrics;

namespace Kukai.Engine.Tests.Testing;

/// <summary>Keeps every per-request record submitted to it, and how they arrived (chunk sizes). Thread-safe.</summary>
internal sealed class CapturingRecordSink(int chunkSize = 64) : IRequestRecordSink
{
    private readonly Lock _sync = new();
    private readonly List<RequestRecord> _records = [];
    private readonly List<int> _chunks = [];

    public RequestRecord[] Rent() => new RequestRecord[chunkSize];

    public void Submit(RequestRecord[] chunk, int count)
    {
        Assert.InRange(count, 1, chunkSize);
        lock (_sync)
        {
            _records.AddRange(chunk.AsSpan(0, count));
            _chunks.Add(count);
        }
    }

    public IReadOnlyList<RequestRecord> Records
    {
        get
        {
            lock (_sync)
            {
                return [.. _records];
            }
        }
    }

    public IReadOnlyList<int> Chunks
    {
        get
        {
            lock (_sync)
            {
                return [.. _chunks];
            }
        }
    }
}
