namespace Kukai.Cluster.Transport;

/// <summary>The three channels of SPEC §7 (Kafka topics <c>&lt;prefix&gt;control</c>, <c>status</c>, <c>metrics</c>).</summary>
public enum ClusterTopic
{
    /// <summary>Orchestrator → drivers: start, stop, time replies, resend requests.</summary>
    Control,

    /// <summary>Driver → orchestrator: registration, heartbeats, acks, finished, time requests.</summary>
    Status,

    /// <summary>Driver → orchestrator: one report per driver per second with histogram deltas.</summary>
    Metrics,
}
