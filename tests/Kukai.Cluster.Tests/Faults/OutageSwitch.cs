namespace Kukai.Cluster.Tests.Faults;

/// <summary>
/// Turns the bus of every <see cref="OutageTransport"/> sharing it off and on. While off, sends wait in one queue, in
/// order; <see cref="Up"/> sends them all before anything new. Thread-safe.
/// </summary>
internal sealed class OutageSwitch
{
    private readonly Lock _sync = new();
    private readonly List<(Func<Task> Send, TaskCompletionSource Done)> _queued = [];
    private TaskCompletionSource? _up;

    public bool IsDown
    {
        get
        {
            lock (_sync)
            {
                return _up is not null;
            }
        }
    }

    public void Down()
    {
        lock (_sync)
        {
            _up ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void Up()
    {
        TaskCompletionSource? up;
        lock (_sync)
        {
            foreach (var (send, done) in _queued)
            {
                Complete(send, done);
            }

            _queued.Clear();
            (up, _up) = (_up, null);
        }

        up?.TrySetResult();
    }

    /// <summary>Sends now, or queues the send until the bus is back; the task completes once it was sent.</summary>
    public Task Send(Func<Task> send)
    {
        lock (_sync)
        {
            if (_up is null)
            {
                return send();
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _queued.Add((send, done));
            return done.Task;
        }
    }

    public Task WaitUntilUpAsync(CancellationToken ct)
    {
        lock (_sync)
        {
            return _up is null ? Task.CompletedTask : _up.Task.WaitAsync(ct);
        }
    }

    private static void Complete(Func<Task> send, TaskCompletionSource done)
    {
        try
        {
            send().GetAwaiter().GetResult(); // the in-process hub accepts synchronously
            done.TrySetResult();
        }
        catch (Exception ex)
        {
            done.TrySetException(ex);
        }
    }
}
