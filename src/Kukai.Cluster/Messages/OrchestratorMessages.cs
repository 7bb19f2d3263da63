using Kukai.Engine.Plans;

namespace Kukai.Cluster.Messages;

// Orchestrator → drivers on the control topic.

/// <summary>
/// Start a test: the plan, the drivers taking part (a driver's index is its position), and the absolute start time on
/// the orchestrator's clock (each driver corrects it by its measured offset).
/// </summary>
public sealed record StartMessage(
    LoadPlan Plan,
    IReadOnlyList<string> Drivers,
    DateTimeOffset StartAt,
    string? UploadUrl) : ClusterMessage;

/// <summary>Stop issuing requests for the test; requests in flight finish and the driver reports as usual.</summary>
public sealed record StopMessage : ClusterMessage;

/// <summary>Answer to a <see cref="TimeRequestMessage"/>: when the orchestrator received it and sent this.</summary>
public sealed record TimeReplyMessage(DateTimeOffset ClientSent, DateTimeOffset ServerReceived, DateTimeOffset ServerSent) : ClusterMessage;

/// <summary>Send the test's reports <see cref="FromSeq"/>..<see cref="ToSeq"/> again (a gap was detected).</summary>
public sealed record ResendMessage(long FromSeq, long ToSeq) : ClusterMessage;

/// <summary>An orchestrator (re)started: drivers register with it.</summary>
public sealed record HelloMessage : ClusterMessage;

/// <summary>The orchestrator has everything of the test from this driver: it may drop its copies of the reports.</summary>
public sealed record ReleaseMessage : ClusterMessage;
