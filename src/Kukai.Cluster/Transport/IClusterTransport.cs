using Kukai.Cluster.Messages;

namespace Kukai.Cluster.Transport;

/// <summary>
/// The seam between the runtime and the message bus: publish to a topic, consume topics. Implementations:
/// <see cref="InProcessTransport"/> (tests, single-process runs) and the Kafka transport. Nothing above this
/// interface knows which one runs.
/// </summary>
/// <remarks>
/// Delivery is at least once: a consumer may see a message again after a failure or restart, so receivers apply
/// each <c>(driverId, testId, type, seq)</c> once. Order is preserved per sender on a topic.
/// </remarks>
public interface IClusterTransport : IAsyncDisposable
{
    /// <summary>
    /// Publishes <paramref name="message"/> on <paramref name="topic"/>; completes when the bus has durably accepted
    /// it (Kafka: acknowledged by all in-sync replicas). Retries internally through transient failures until
    /// <paramref name="ct"/> is cancelled; a permanent failure throws <see cref="ClusterTransportException"/>.
    /// </summary>
    Task PublishAsync(ClusterTopic topic, ClusterMessage message, CancellationToken ct);

    /// <summary>
    /// Reads the subscription's topics and calls <paramref name="handler"/> for each message, one at a time, until
    /// <paramref name="ct"/> is cancelled (then completes without throwing). Messages that cannot be decoded are
    /// skipped (and logged). <paramref name="started"/>, when given, completes once the consumer reads (partitions
    /// assigned), so a caller can publish knowing a reply will be seen.
    /// </summary>
    Task ConsumeAsync(ClusterSubscription subscription, Func<ClusterMessage, CancellationToken, Task> handler, TaskCompletionSource? started, CancellationToken ct);

    TransportStatus Status { get; }
}
