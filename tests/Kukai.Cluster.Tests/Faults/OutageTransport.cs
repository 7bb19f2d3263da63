using Kukai.Cluster.Messages;
using Kukai.Cluster.Transport;

namespace Kukai.Cluster.Tests.Faults;

/// <summary>
/// A transport whose bus can be taken away (<see cref="OutageSwitch"/>), as a Kafka outage looks to Kukai: status
/// disconnected, publishes wait (the client queues them), nothing is delivered; all of it flows again once back.
/// </summary>
internal sealed class OutageTransport(IClusterTransport inner, OutageSwitch outage) : IClusterTransport
{
    public TransportStatus Status => outage.IsDown ? new TransportStatus(false, "the bus is down (test outage)") : inner.Status;

    public async Task PublishAsync(ClusterTopic topic, ClusterMessage message, CancellationToken ct)
    {
        await outage.WaitUntilUpAsync(ct);
        await inner.PublishAsync(topic, message, ct);
    }

    public Task ConsumeAsync(ClusterSubscription subscription, Func<ClusterMessage, CancellationToken, Task> handler, TaskCompletionSource? started, CancellationToken ct) =>
        inner.ConsumeAsync(subscription, async (m, token) =>
        {
            await outage.WaitUntilUpAsync(token);
            await handler(m, token);
        }, started, ct);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
