using System.Text.Json.Serialization;
using Kukai.Engine.Health;

namespace Kukai.Cluster.Messages;

// Driver → orchestrator on the status topic. Kept in one file: they are small and read together.

/// <summary>A driver announces itself (at start, and when it sees a new orchestrator).</summary>
public sealed record RegisterMessage(string Host, int Pid, string Version, int Cores, DateTimeOffset StartedAt) : ClusterMessage;

/// <summary>Every second: the driver is alive, what it is doing, and its health.</summary>
public sealed record HeartbeatMessage(
    string Host,
    DriverState State,
    string? RunningTestId,
    long Sent,
    long Completed,
    HostHealth? Health) : ClusterMessage;

/// <summary>
/// The driver is shutting down cleanly (its test, if any, stopped and reported first): it is gone, not lost, and leaves
/// the orchestrator's list of drivers.
/// </summary>
public sealed record LeavingMessage(string Host) : ClusterMessage;

/// <summary>NTP-style clock probe: the driver's send time; the orchestrator answers with a <see cref="TimeReplyMessage"/>.</summary>
public sealed record TimeRequestMessage(DateTimeOffset ClientSent) : ClusterMessage;

/// <summary>The driver accepted a start and will begin at the given local time.</summary>
public sealed record AckMessage(int DriverIndex, double ClockOffsetMs) : ClusterMessage;

/// <summary>
/// The driver has every response of its share (or stopped): its exact totals per target, the number of reports it
/// sent (so the orchestrator can detect missing ones), and how many per-request rows it recorded.
/// </summary>
public sealed record FinishedMessage(
    IReadOnlyList<CountersDto> Totals,
    long Reports,
    long RecordedRows,
    bool Stopped,
    string? Error,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt) : ClusterMessage;

/// <summary>One second of a driver's measurements: histogram deltas and counters per target, progress and health.</summary>
public sealed record ReportMessage(
    long Second,
    double ElapsedSeconds,
    IReadOnlyList<CountersDto> Targets,
    HostHealth? Health) : ClusterMessage
{
    /// <summary>
    /// The bytes it was decoded from (empty when made in this process), so the orchestrator can journal it without
    /// encoding it again. Not sent: the encoding is the message.
    /// </summary>
    [JsonIgnore]
    public ReadOnlyMemory<byte> Wire { get; init; }
}
