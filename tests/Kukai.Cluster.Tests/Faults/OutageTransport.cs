using Kukai.Cluster.Messages;
using Kukai.Cluster.Transport;

namespace Kukai.Cluster.Tests.Faults;

/// <summary>
/// A transport whose bus can be taken away (<see cref="OutageSwitch"/>), as a Kafka outage looks to Kukai: status
/// disconnected, nothing delivered, publishes queued in order and sent once the bus is back — even those whose caller
/// stopped waiting, as a Kafka client keeps a message it accepted until it is delivered.
/// </summary>
internal sealed class OutageTransport(IClusterTransport inner, OutageSwitch outage) : IClusterTransport
{
    public TransportStatus Status => outage.IsDown ? new TransportStatus(false, "the bus is down (test outage)") : inner.Status;

    public Task PublishAsync(ClusterTopic topic, ClusterMessage message, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return outage.Send(() => inner.PublishAsync(topic, message, CancellationToken.None)).WaitAsync(ct);
    }

    public Task ConsumeAsync(ClusterSubscription subscription, Func<ClusterMessage, CancellationToken, Task> handler, TaskCompletionSource? started, CancellationToken ct) =>
        inner.ConsumeAsync(subscription, async (m, token) =>
        {
            await outage.WaitUntilUpAsync(token);
            await handler(m, token);
        }, started, ct);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
