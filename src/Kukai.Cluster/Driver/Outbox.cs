using System.Threading.Channels;
using Kukai.Cluster.Logging;
using Kukai.Cluster.Messages;
using Kukai.Cluster.Transport;
using Microsoft.Extensions.Logging;

namespace Kukai.Cluster.Driver;

/// <summary>
/// Publishes a driver's test messages (acks, reports, finished) in order, one at a time, retrying each until it is
/// accepted: a Kafka outage delays them, it does not lose or reorder them. Unbounded by design: a test produces one
/// report a second, so even a long outage queues little.
/// </summary>
internal sealed class Outbox : IAsyncDisposable
{
    private readonly Channel<(ClusterTopic Topic, ClusterMessage Message, TaskCompletionSource? Accepted)> _queue =
        Channel.CreateUnbounded<(ClusterTopic, ClusterMessage, TaskCompletionSource?)>(new() { SingleReader = true });
    private readonly IClusterTransport _transport;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _pending;

    public Outbox(IClusterTransport transport, TimeProvider time, ILogger logger)
    {
        _transport = transport;
        _time = time;
        _logger = logger;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Messages queued and not yet accepted by the bus.</summary>
    public long Pending => Interlocked.Read(ref _pending);

    public void Enqueue(ClusterTopic topic, ClusterMessage message)
    {
        Interlocked.Increment(ref _pending);
        _queue.Writer.TryWrite((topic, message, null));
    }

    /// <summary>Queues <paramref name="message"/> behind the others and waits until the bus accepted it (or the token fires).</summary>
    public Task DeliverAsync(ClusterTopic topic, ClusterMessage message, CancellationToken ct)
    {
        var accepted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Increment(ref _pending);
        _queue.Writer.TryWrite((topic, message, accepted));
        return accepted.Task.WaitAsync(ct);
    }

    /// <summary>Waits until everything queued so far was accepted, or the token fires.</summary>
    public async Task DrainAsync(CancellationToken ct)
    {
        while (Pending > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), _time, ct).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        var ct = _stop.Token;
        await foreach (var (topic, message, accepted) in _queue.Reader.ReadAllAsync(ct).ConfigureAwait(false))
        {
            var delay = TimeSpan.FromMilliseconds(200);
            while (true)
            {
                try
                {
                    await _transport.PublishAsync(topic, message, ct).ConfigureAwait(false);
                    break;
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex) when (ex is ClusterTransportException or IOException or InvalidOperationException)
                {
                    ClusterLog.PublishFailed(_logger, message.GetType().Name, ex.Message);
                    await Task.Delay(delay, _time, ct).ConfigureAwait(false);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
                }
            }

            Interlocked.Decrement(ref _pending);
            accepted?.TrySetResult();
        }
    }
}
