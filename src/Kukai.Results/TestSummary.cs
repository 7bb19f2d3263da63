using Kukai.Engine.Metrics;
using Kukai.Engine.Plans;

namespace Kukai.Results;

/// <summary>
/// The content of <c>summary.json</c> (SPEC §4), also the body of <c>GET /api/tests/{id}</c>'s stats.
/// </summary>
public sealed record TestSummary
{
    public required string TestId { get; init; }

    public required LoadPlan Plan { get; init; }

    /// <summary>The test's end state: completed, failed or stopped.</summary>
    public required string State { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset EndedAt { get; init; }

    public required double DurationSeconds { get; init; }

    /// <summary>Ids of the drivers that ran the test.</summary>
    public required IReadOnlyList<string> Drivers { get; init; }

    /// <summary><see cref="Results.Verdict"/>: passed, failed or partial.</summary>
    public required string Verdict { get; init; }

    /// <summary>Ids of drivers lost during the test (their measurements up to the loss are included).</summary>
    public IReadOnlyList<string> LostDrivers { get; init; } = [];

    /// <summary>When each lost driver was declared lost.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset>? LostAt { get; init; }

    /// <summary>Why the test failed or stopped, when it did.</summary>
    public string? Reason { get; init; }

    public IReadOnlyList<ThresholdResult> Thresholds { get; init; } = [];

    public required StatsSummary Aggregate { get; init; }

    public required IReadOnlyDictionary<string, StatsSummary> PerDriver { get; init; }

    public required IReadOnlyDictionary<string, StatsSummary> PerTarget { get; init; }

    /// <summary>The test second by second across drivers (histograms merged per second): what the report plots.</summary>
    public IReadOnlyList<SecondSummary> Timeline { get; init; } = [];

    /// <summary>Seconds in which a driver's machine was saturated (its latencies are suspect).</summary>
    public IReadOnlyList<SaturatedSecond> SaturatedSeconds { get; init; } = [];

    /// <summary>Rows written to <c>requests.arrow</c> (sampling may make it fewer than the requests).</summary>
    public long? RecordedRequests { get; init; }

    /// <summary>The Kukai version that wrote the file.</summary>
    public string? KukaiVersion { get; init; }
}
