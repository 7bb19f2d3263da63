using Kukai.Engine.Execution;
using Kukai.Engine.Metrics;

namespace Kukai.Engine.Tests.Testing;

/// <summary>Runs a <see cref="LoadRunner"/> and keeps every interval it delivers, and their sum.</summary>
internal sealed class RunRecorder
{
    private readonly Lock _sync = new();
    private readonly List<IntervalSnapshot> _intervals = [];

    public IReadOnlyList<IntervalSnapshot> Intervals
    {
        get
        {
            lock (_sync)
            {
                return [.. _intervals];
            }
        }
    }

    /// <summary>All intervals, all targets, merged.</summary>
    public TargetCounters Total
    {
        get
        {
            var total = new TargetCounters();
            foreach (var i in Intervals)
            {
                total.Add(i.Total());
            }

            return total;
        }
    }

    /// <summary>One target over all intervals.</summary>
    public TargetCounters Target(int index)
    {
        var total = new TargetCounters();
        foreach (var i in Intervals)
        {
            total.Add(i.Targets[index]);
        }

        return total;
    }

    public void OnInterval(IntervalSnapshot interval)
    {
        lock (_sync)
        {
            _intervals.Add(interval);
        }
    }

    /// <summary>Runs from now (or <paramref name="startTicks"/>), bounded by the test deadline.</summary>
    public Task<RunResult> RunAsync(LoadRunner runner, long? startTicks = null) =>
        runner.RunAsync(startTicks ?? runner.Clock.Now, OnInterval).Within();
}
