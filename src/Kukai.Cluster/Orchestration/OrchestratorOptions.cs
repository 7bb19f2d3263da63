namespace Kukai.Cluster.Orchestration;

/// <summary>Runtime tunables of the orchestrator.</summary>
public sealed record OrchestratorOptions
{
    /// <summary>Where results live: <c>&lt;DataDir&gt;/results/&lt;test-id&gt;/</c> (SPEC §4).</summary>
    public string DataDir { get; init; } = "kukai-data";

    /// <summary>A driver silent this long is lost (SPEC §7: 5 s; <c>--heartbeat-timeout</c>).</summary>
    public TimeSpan HeartbeatTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How far ahead of "now" a test's synchronised start is placed, so the start reaches every driver first.</summary>
    public TimeSpan StartDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long finished drivers get to upload per-request rows before results are written without them.</summary>
    public TimeSpan UploadTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long to keep asking for missing reports before accepting the gap.</summary>
    public TimeSpan ResendTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The Kafka bootstrap servers, shown by <c>/api/health</c> so drivers can find the cluster.</summary>
    public string? KafkaBootstrap { get; init; }

    /// <summary><c>[commander] edges</c>: hosts (or host:port) allowed to take part; empty = any.</summary>
    public IReadOnlyList<string> AllowedDrivers { get; init; } = [];

    /// <summary>This orchestrator instance (drivers re-register when it changes).</summary>
    public string OrchestratorId { get; init; } = Guid.NewGuid().ToString("N")[..12];

    /// <summary>The Kukai version written into results.</summary>
    public string Version { get; init; } = "0.0.0";
}
