using System.Text.Json.Serialization;

namespace Kukai.Cluster.Messages;

/// <summary>
/// A message on the bus (SPEC §7): JSON with <c>type</c>, <c>driverId</c>, <c>testId</c>, <c>seq</c>, <c>sentAt</c>
/// and the fields of its type. Immutable. New types and fields may be added; old payloads must keep parsing
/// (see the codec tests).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(RegisterMessage), "register")]
[JsonDerivedType(typeof(HeartbeatMessage), "heartbeat")]
[JsonDerivedType(typeof(LeavingMessage), "leaving")]
[JsonDerivedType(typeof(TimeRequestMessage), "time-request")]
[JsonDerivedType(typeof(AckMessage), "ack")]
[JsonDerivedType(typeof(FinishedMessage), "finished")]
[JsonDerivedType(typeof(ReportMessage), "report")]
[JsonDerivedType(typeof(StartMessage), "start")]
[JsonDerivedType(typeof(StopMessage), "stop")]
[JsonDerivedType(typeof(TimeReplyMessage), "time-reply")]
[JsonDerivedType(typeof(ResendMessage), "resend")]
[JsonDerivedType(typeof(HelloMessage), "hello")]
[JsonDerivedType(typeof(ReleaseMessage), "release")]
public abstract record ClusterMessage
{
    /// <summary>The driver that sent it (status, metrics) or that it is for (control; empty = every driver).</summary>
    public string DriverId { get; init; } = "";

    /// <summary>The test it belongs to; empty for messages outside a test (register, heartbeat, time).</summary>
    public string TestId { get; init; } = "";

    /// <summary>Sequence number per sender, test and kind: receivers apply each once and detect gaps.</summary>
    public long Seq { get; init; }

    /// <summary>
    /// When it was sent (UTC), on the orchestrator's clock: the orchestrator's own, and a driver's moved by the offset
    /// its time probes measured. A driver leaves it unset (default) until its first probe came back; the orchestrator
    /// then judges it by when its messages arrive.
    /// </summary>
    public DateTimeOffset SentAt { get; init; }

    /// <summary>The orchestrator instance that sent a control message (drivers re-register when it changes).</summary>
    public string? OrchestratorId { get; init; }
}
