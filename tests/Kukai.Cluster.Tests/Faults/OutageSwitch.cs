namespace Kukai.Cluster.Tests.Faults;

/// <summary>Turns the bus of every <see cref="OutageTransport"/> sharing it off and on. Thread-safe.</summary>
internal sealed class OutageSwitch
{
    private readonly Lock _sync = new();
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
            (up, _up) = (_up, null);
        }

        up?.TrySetResult();
    }

    public Task WaitUntilUpAsync(CancellationToken ct)
    {
        lock (_sync)
        {
            return _up is null ? Task.CompletedTask : _up.Task.WaitAsync(ct);
        }
    }
}
