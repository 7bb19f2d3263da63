namespace Kukai.Bench.Ingest;

/// <summary>What one run measured; printed as one JSON line prefixed <c>result </c>.</summary>
internal sealed record IngestResult
{
    public required string Mode { get; init; }

    public required int Drivers { get; init; }

    public required int Seconds { get; init; }

    public required int Warmup { get; init; }

    /// <summary>The orchestrator (Kafka mode: its process; in-process: this process minus the simulation thread), % of one core.</summary>
    public required double CpuPercentMean { get; init; }

    public required double CpuPercentMedian { get; init; }

    public required double CpuPercentMax { get; init; }

    public required IReadOnlyList<double> CpuPercentPerSecond { get; init; }

    /// <summary>The kukai kafka-dev process (Kafka mode), % of one core.</summary>
    public double? KafkaCpuPercentMean { get; init; }

    /// <summary>The simulated drivers' publishing thread, % of one core.</summary>
    public double? SimulationCpuPercentMean { get; init; }

    public required int ReportBytes { get; init; }

    public required int LatencyBuckets { get; init; }

    public string? TestId { get; init; }

    public string? FinalState { get; init; }

    /// <summary>Seconds from the last finished message to the test's end state (how far ingestion lagged).</summary>
    public double? CatchUpSeconds { get; init; }

    public long? Count { get; init; }

    public required long ExpectedCount { get; init; }

    public int? LostDrivers { get; init; }

    public long PublishFailures { get; init; }

    public long Resent { get; init; }

    public string? Error { get; init; }
}
