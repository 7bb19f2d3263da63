namespace Kukai.Cluster.Driver;

/// <summary>Runtime tunables of a driver node.</summary>
public sealed record DriverOptions
{
    /// <summary>This driver's id (unique among drivers).</summary>
    public required string DriverId { get; init; }

    /// <summary>Host name reported at registration.</summary>
    public string Host { get; init; } = Environment.MachineName;

    /// <summary>Heartbeat period (SPEC §7: every second).</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the clock offset to the orchestrator is measured again.</summary>
    public TimeSpan ClockProbeInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Where per-request rows are spooled before upload.</summary>
    public string SpoolDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "kukai-driver");

    /// <summary>The orchestrator's HTTP base address for uploads, overriding what a start message says (<c>--orchestrator</c>).</summary>
    public Uri? OrchestratorUrl { get; init; }

    /// <summary>Bearer token for uploads (<c>--token</c>).</summary>
    public string? Token { get; init; }

    /// <summary>The Kukai version reported at registration.</summary>
    public string Version { get; init; } = "0.0.0";
}
