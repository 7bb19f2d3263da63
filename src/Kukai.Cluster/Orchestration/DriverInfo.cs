using Kukai.Engine.Health;

namespace Kukai.Cluster.Orchestration;

/// <summary>What the orchestrator knows of a driver (the items of <c>GET /api/drivers</c>).</summary>
/// <param name="Id">Driver id.</param>
/// <param name="Host">Host it runs on.</param>
/// <param name="State"><c>idle</c>, <c>running</c> or <c>lost</c>.</param>
/// <param name="LastHeartbeat">When it was last heard from (orchestrator clock).</param>
/// <param name="TestId">The test it is running, if any.</param>
public sealed record DriverInfo(string Id, string Host, string State, DateTimeOffset LastHeartbeat, string? TestId)
{
    public DateTimeOffset RegisteredAt { get; init; }

    public string? Version { get; init; }

    public int Cores { get; init; }

    /// <summary>Seconds since the last heartbeat.</summary>
    public double HeartbeatAgeSeconds { get; init; }

    /// <summary>Requests sent and completed in its current or last test.</summary>
    public long Sent { get; init; }

    public long Completed { get; init; }

    public HostHealth? Health { get; init; }
}
