namespace Kukai.Engine.Metrics;

/// <summary>The stats objects of a test: aggregate, per driver (by id) and per target (by url or addr:port).</summary>
public sealed record TestStats(
    StatsSummary Aggregate,
    IReadOnlyDictionary<string, StatsSummary> PerDriver,
    IReadOnlyDictionary<string, StatsSummary> PerTarget);
