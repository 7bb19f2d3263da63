using Kukai.Engine.Health;

namespace Kukai.Engine.Metrics;

/// <summary>
/// What one driver measured during one interval (normally one second), per target. The unit of the per-second
/// reports: summing every interval of a run gives exactly the run's totals.
/// </summary>
/// <param name="Second">Interval index from the run's start: 0 for [0 s, 1 s).</param>
/// <param name="ElapsedSeconds">Length of the interval in seconds (the last one of a run may be shorter).</param>
/// <param name="Targets">Counters per target, indexed like the plan's targets.</param>
public sealed record IntervalSnapshot(long Second, double ElapsedSeconds, IReadOnlyList<TargetCounters> Targets)
{
    /// <summary>The generator's CPU during the interval, when sampled.</summary>
    public HostHealth? Health { get; init; }

    /// <summary>
    /// All targets merged. With one target that target's own counters are returned (no copy): treat the result as
    /// read-only.
    /// </summary>
    public TargetCounters Total()
    {
        if (Targets.Count == 1)
        {
            return Targets[0];
        }

        var total = new TargetCounters();
        foreach (var t in Targets)
        {
            total.Add(t);
        }

        return total;
    }
}
