namespace Kukai.Cluster.Driver;

/// <summary>
/// The driver's clock offset to the orchestrator from NTP-style probes: offset = ((t1 − t0) + (t2 − t3)) / 2, where
/// t0/t3 are the driver's send/receive times and t1/t2 the orchestrator's. Of recent samples the one with the
/// smallest round trip wins (least queueing, so least error). Thread-safe.
/// </summary>
public sealed class ClockOffsetEstimator
{
    private const int Keep = 8;
    private readonly Lock _sync = new();
    private readonly Queue<(TimeSpan Offset, TimeSpan RoundTrip)> _samples = new();

    /// <summary>Orchestrator clock minus local clock (zero until a sample arrives).</summary>
    public TimeSpan Offset
    {
        get
        {
            _ = TryGetOffset(out var offset);
            return offset;
        }
    }

    public bool HasSample => TryGetOffset(out _);

    /// <summary>The offset (as <see cref="Offset"/>) when there is a sample; false until the first one.</summary>
    public bool TryGetOffset(out TimeSpan offset)
    {
        lock (_sync)
        {
            offset = _samples.Count == 0 ? TimeSpan.Zero : _samples.MinBy(s => s.RoundTrip).Offset;
            return _samples.Count > 0;
        }
    }

    /// <summary>Adds a probe; t0/t3 local, t1/t2 the orchestrator's.</summary>
    public void Add(DateTimeOffset t0, DateTimeOffset t1, DateTimeOffset t2, DateTimeOffset t3)
    {
        var roundTrip = (t3 - t0) - (t2 - t1);
        if (roundTrip < TimeSpan.Zero)
        {
            roundTrip = TimeSpan.Zero;
        }

        var offset = ((t1 - t0) + (t2 - t3)) / 2;
        lock (_sync)
        {
            _samples.Enqueue((offset, roundTrip));
            while (_samples.Count > Keep)
            {
                _samples.Dequeue();
            }
        }
    }
}
