namespace Kukai.Cluster.Orchestration;

/// <summary>
/// Which report sequence numbers of one driver in one test were applied: each exactly once, gaps detectable.
/// Not thread-safe (the runtime's lock guards it).
/// </summary>
internal sealed class ReportTracker
{
    private readonly HashSet<long> _seen = [];

    public long Highest { get; private set; }

    public int Count => _seen.Count;

    /// <summary>True the first time a sequence number is seen.</summary>
    public bool TryAdd(long seq)
    {
        if (seq < 1 || !_seen.Add(seq))
        {
            return false;
        }

        Highest = Math.Max(Highest, seq);
        return true;
    }

    /// <summary>True when 1..<paramref name="last"/> were all seen.</summary>
    public bool HasAll(long last) => _seen.Count >= last && Missing(last).Count == 0;

    /// <summary>Missing ranges among 1..<paramref name="last"/>.</summary>
    public IReadOnlyList<(long From, long To)> Missing(long last)
    {
        var ranges = new List<(long, long)>();
        long? start = null;
        for (long s = 1; s <= last; s++)
        {
            if (!_seen.Contains(s))
            {
                start ??= s;
            }
            else if (start is { } st)
            {
                ranges.Add((st, s - 1));
                start = null;
            }
        }

        if (start is { } open)
        {
            ranges.Add((open, last));
        }

        return ranges;
    }
}
