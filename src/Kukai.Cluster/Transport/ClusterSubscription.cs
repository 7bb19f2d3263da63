namespace Kukai.Cluster.Transport;

/// <summary>What a consumer reads.</summary>
/// <param name="Topics">Topics to read.</param>
/// <param name="Group">
/// A consumer group that remembers its position across restarts (the orchestrator), or null to read every message
/// published from now on, independently of other readers (each driver reads all control messages).
/// </param>
public sealed record ClusterSubscription(IReadOnlyList<ClusterTopic> Topics, string? Group);
