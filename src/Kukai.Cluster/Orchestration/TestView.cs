using Kukai.Engine.Metrics;
using Kukai.Engine.Plans;

namespace Kukai.Cluster.Orchestration;

/// <summary>
/// A test as the API shows it (SPEC §5, <c>GET /api/tests/{id}</c>): state, plan, drivers, progress per driver
/// (updated every second) and the stats objects of <c>summary.json</c>.
/// </summary>
public sealed record TestView
{
    public required string Id { get; init; }

    /// <summary>starting, running, completed, failed or stopped.</summary>
    public required string State { get; init; }

    public required LoadPlan Plan { get; init; }

    public required IReadOnlyList<string> Drivers { get; init; }

    public IReadOnlyList<string> LostDrivers { get; init; } = [];

    public IReadOnlyDictionary<string, DateTimeOffset>? LostAt { get; init; }

    /// <summary>passed, failed or partial once the test ended; null before.</summary>
    public string? Verdict { get; init; }

    public required IReadOnlyDictionary<string, DriverProgress> Progress { get; init; }

    public required TestStats Stats { get; init; }

    public IReadOnlyList<ThresholdResult> Thresholds { get; init; } = [];

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The synchronised start (orchestrator clock).</summary>
    public DateTimeOffset StartAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public double DurationSeconds { get; init; }

    public string? Reason { get; init; }

    /// <summary>Names of the results files available (SPEC §4).</summary>
    public IReadOnlyList<string> Files { get; init; } = [];
}
