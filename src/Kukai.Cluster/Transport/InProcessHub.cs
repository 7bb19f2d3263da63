using System.Threading.Channels;

namespace Kukai.Cluster.Transport;

/// <summary>The shared "bus" of <see cref="InProcessTransport"/>s in one process. Thread-safe.</summary>
public sealed class InProcessHub
{
    private readonly Lock _sync = new();
    private readonly List<(IReadOnlyList<ClusterTopic> Topics, ChannelWriter<byte[]> Writer)> _subscribers = [];

    /// <summary>A transport attached to this hub.</summary>
    public InProcessTransport CreateTransport() => new(this);

    internal void Publish(ClusterTopic topic, byte[] bytes)
    {
        lock (_sync)
        {
            foreach (var (topics, writer) in _subscribers)
            {
                if (topics.Contains(topic))
                {
                    writer.TryWrite(bytes);
                }
            }
        }
    }

    internal IDisposable Subscribe(IReadOnlyList<ClusterTopic> topics, ChannelWriter<byte[]> writer)
    {
        var entry = (topics, writer);
        lock (_sync)
        {
            _subscribers.Add(entry);
        }

        return new Unsubscriber(this, entry);
    }

    private sealed class Unsubscriber(InProcessHub hub, (IReadOnlyList<ClusterTopic>, ChannelWriter<byte[]>) entry) : IDisposable
    {
        public void Dispose()
        {
            lock (hub._sync)
            {
                hub._subscribers.Remove(entry);
            }

            entry.Item2.TryComplete();
        }
    }
}
