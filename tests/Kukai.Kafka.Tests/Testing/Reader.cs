using Kukai.Cluster.Transport;

namespace Kukai.Kafka.Tests.Testing;

/// <summary>A running <see cref="IClusterTransport.ConsumeAsync"/> into a <see cref="MessageCollector"/>.</summary>
internal sealed class Reader : IAsyncDisposable
{
    private readonly CancellationTokenSource _cts = new();

    private Reader(Task running, MessageCollector messages)
    {
        Running = running;
        Messages = messages;
    }

    public Task Running { get; }

    public MessageCollector Messages { get; }

    /// <summary>Starts reading and waits (with a deadline) until the reader's positions are fixed.</summary>
    public static async Task<Reader> StartAsync(IClusterTransport transport, string? group, params ClusterTopic[] topics)
    {
        var messages = new MessageCollector();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cts = new CancellationTokenSource();
        var running = transport.ConsumeAsync(new ClusterSubscription(topics, group), messages.HandleAsync, started, cts.Token);
        var reader = new Reader(running, messages);
        reader._cts.Token.Register(cts.Cancel);
        await Task.WhenAny(started.Task, running).WaitAsync(MessageCollector.Deadline);
        if (running.IsCompleted)
        {
            await running;
        }

        Assert.True(started.Task.IsCompletedSuccessfully, "reader did not start");
        return reader;
    }

    /// <summary>Stops reading; the consume task must end without an exception.</summary>
    public async Task StopAsync()
    {
        await _cts.CancelAsync();
        await Running.WaitAsync(MessageCollector.Deadline);
    }

    public async ValueTask DisposeAsync()
    {
        if (!Running.IsCompleted)
        {
            await StopAsync();
        }

        _cts.Dispose();
    }
}
