using Kukai.Engine.Execution;
using Kukai.Engine.Metrics;
using Kukai.Engine.Plans;
using Kukai.Engine.Protocols;
using Kukai.Engine.Timing;

namespace Kukai.Engine.Tests.Testing;

/// <summary>Builds the internal run state the schedulers share, over test channels, and sums its intervals.</summary>
internal static class EngineState
{
    public static RunState Create(TimestampClock clock, IRequestChannelFactory factory, TimeSpan? timeout = null, IRequestRecordSink? sink = null) =>
        Create(clock, [factory], timeout, sink);

    public static RunState Create(TimestampClock clock, IRequestChannelFactory[] factories, TimeSpan? timeout = null, IRequestRecordSink? sink = null) => new(
        clock,
        new RunMetrics(factories.Length, clock, sink),
        factories,
        new TargetSelector([.. factories.Select(_ => new TargetPlan { Url = "http://test/" })]),
        clock.MicrosecondsToTicks((long)(timeout ?? TimeSpan.FromSeconds(60)).TotalMicroseconds),
        seed: 12345);
}

/// <summary>Takes intervals from a run's metrics (one reader at a time) and keeps their sum.</summary>
internal sealed class IntervalTotals(RunMetrics metrics)
{
    private readonly Lock _sync = new();
    private long _second;

    public TargetCounters Total { get; } = new();

    /// <summary>Takes what was recorded since the last call and adds it to <see cref="Total"/>.</summary>
    public TargetCounters Take()
    {
        lock (_sync)
        {
            Total.Add(metrics.TakeInterval(_second++, 1).Total());
            return Total;
        }
    }
}
