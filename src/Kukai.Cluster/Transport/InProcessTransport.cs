using System.Threading.Channels;
using Kukai.Cluster.Messages;

namespace Kukai.Cluster.Transport;

/// <summary>
/// The transport inside one process: a hub that every node of a run shares. Messages are encoded and decoded as on
/// Kafka, so the same codec and the same receivers are exercised. Order is preserved per publisher and topic.
/// </summary>
/// <remarks>Every subscription sees every message published after it started (groups do not share work here).</remarks>
public sealed class InProcessTransport : IClusterTransport
{
    private readonly InProcessHub _hub;

    public InProcessTransport(InProcessHub hub) => _hub = hub;

    public TransportStatus Status => new(true, "in-process");

    public Task PublishAsync(ClusterTopic topic, ClusterMessage message, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        _hub.Publish(topic, ClusterMessageCodec.Encode(message));
        return Task.CompletedTask;
    }

    public async Task ConsumeAsync(ClusterSubscription subscription, Func<ClusterMessage, CancellationToken, Task> handler, TaskCompletionSource? started, CancellationToken ct)
    {
        var channel = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
        using var registration = _hub.Subscribe(subscription.Topics, channel.Writer);
        started?.TrySetResult();
        try
        {
            await foreach (var bytes in channel.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                if (ClusterMessageCodec.TryDecode(bytes, out var message, out _))
                {
                    await handler(message, ct).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
