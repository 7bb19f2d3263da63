using Kukai.Cluster.Messages;
using Kukai.Engine.Health;

namespace Kukai.Cluster.Orchestration;

/// <summary>The registry's record of one driver. Mutable under the runtime's lock.</summary>
internal sealed class DriverEntry(string id)
{
    public string Id { get; } = id;

    public string Host { get; set; } = "";

    public string? Version { get; set; }

    public int Cores { get; set; }

    public DateTimeOffset RegisteredAt { get; set; }

    public DateTimeOffset LastHeartbeat { get; set; }

    /// <summary>When the driver wrote its newest message read (its own clock); default until it sends one with a time.</summary>
    public DateTimeOffset LastSentAt { get; set; }

    public bool Lost { get; set; }

    /// <summary>The active test this driver was given, if any.</summary>
    public string? TestId { get; set; }

    /// <summary>What the driver last said it was doing.</summary>
    public DriverState ReportedState { get; set; }

    public string? ReportedTestId { get; set; }

    /// <summary>The last test whose finished message this driver sent: heartbeats that still say it runs it are stale.</summary>
    public string? FinishedTestId { get; set; }

    public long Sent { get; set; }

    public long Completed { get; set; }

    public HostHealth? Health { get; set; }

    public string State => Lost ? "lost" : TestId is not null || ReportedState == DriverState.Running ? "running" : "idle";

    // A lost driver's last word about its test is stale: only a test it is still counted in is shown.
    public DriverInfo ToInfo(DateTimeOffset now) => new(Id, Host, State, LastHeartbeat, Lost ? TestId : TestId ?? ReportedTestId)
    {
        RegisteredAt = RegisteredAt,
        Version = Version,
        Cores = Cores,
        HeartbeatAgeSeconds = Math.Round(Math.Max(0, (now - LastHeartbeat).TotalSeconds), 1),
        Sent = Sent,
        Completed = Completed,
        Health = Health,
    };
}
