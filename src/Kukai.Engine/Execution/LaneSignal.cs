using System.Threading.Tasks.Sources;

namespace Kukai.Engine.Execution;

/// <summary>
/// A reusable, allocation-free hand-off of one value to a lane that awaits it. Continuations run inline on the
/// thread that calls <see cref="Set"/>: the pacer thread starts the request itself, so a send leaves on time
/// instead of after a thread-pool hop.
/// </summary>
internal sealed class LaneSignal : IValueTaskSource<long>
{
    private ManualResetValueTaskSourceCore<long> _core = new() { RunContinuationsAsynchronously = false };

    public ValueTask<long> WaitAsync() => new(this, _core.Version);

    public void Set(long value) => _core.SetResult(value);

    public long GetResult(short token)
    {
        var value = _core.GetResult(token);
        _core.Reset();
        return value;
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
