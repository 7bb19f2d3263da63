using System.Threading.Tasks.Sources;
using Kukai.Engine.Protocols;

namespace Kukai.Engine.Tests.Testing;

/// <summary>
/// Channels without a network, whose requests complete when the test says so. In <see cref="Hold"/> mode every send
/// stays in flight until <see cref="ReleaseAll"/> or an abort; otherwise it completes at once (synchronously) with a
/// 200. Counts sends and aborts, and fails the test if one channel ever has two sends in flight (the engine must
/// await each send before the next). A stale abort is ignored, as the channel contract says.
/// </summary>
internal sealed class ScriptedChannelFactory : IRequestChannelFactory
{
    private readonly Lock _sync = new();
    private readonly List<ScriptedChannel> _channels = [];
    private readonly List<Pending> _inFlight = [];
    private long _sends;
    private long _aborts;
    private volatile bool _hold;

    public ScriptedChannelFactory(bool hold = false) => _hold = hold;

    /// <summary>New sends stay in flight until released.</summary>
    public bool Hold
    {
        get => _hold;
        set => _hold = value;
    }

    /// <summary>The outcome of a released (or immediate) send.</summary>
    public RequestOutcome Outcome { get; set; } = new(ErrorKind.None, 200, 10, 20);

    public long Sends => Interlocked.Read(ref _sends);

    public long Aborts => Interlocked.Read(ref _aborts);

    public int InFlight
    {
        get
        {
            lock (_sync)
            {
                return _inFlight.Count;
            }
        }
    }

    public int ChannelsCreated
    {
        get
        {
            lock (_sync)
            {
                return _channels.Count;
            }
        }
    }

    public string? Violation { get; private set; }

    public IRequestChannel CreateChannel()
    {
        var channel = new ScriptedChannel(this);
        lock (_sync)
        {
            _channels.Add(channel);
        }

        return channel;
    }

    /// <summary>Completes every send in flight with <see cref="Outcome"/>; returns how many.</summary>
    public int ReleaseAll()
    {
        Pending[] pending;
        lock (_sync)
        {
            pending = [.. _inFlight];
            _inFlight.Clear();
        }

        foreach (var p in pending)
        {
            p.Complete(Outcome);
        }

        return pending.Length;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private void Fail(string violation) => Violation ??= violation;

    private sealed class ScriptedChannel(ScriptedChannelFactory owner) : IRequestChannel
    {
        private Pending? _current;
        private long _generation;
        private int _busy;

        public long Generation => Volatile.Read(ref _generation);

        public ValueTask<RequestOutcome> SendAsync()
        {
            if (Interlocked.Exchange(ref _busy, 1) != 0)
            {
                owner.Fail("two sends in flight on one channel");
            }

            var generation = Interlocked.Increment(ref _generation);
            Interlocked.Increment(ref owner._sends);
            if (!owner.Hold)
            {
                Volatile.Write(ref _busy, 0);
                return new ValueTask<RequestOutcome>(owner.Outcome);
            }

            var pending = new Pending(this, generation);
            lock (owner._sync)
            {
                _current = pending;
                owner._inFlight.Add(pending);
            }

            return pending.Task;
        }

        public bool TryAbort(long generation)
        {
            Pending? victim;
            lock (owner._sync)
            {
                victim = _current;
                if (victim is null || victim.Generation != generation || !owner._inFlight.Remove(victim))
                {
                    return false;
                }
            }

            Interlocked.Increment(ref owner._aborts);
            victim.Complete(RequestOutcome.Failed(ErrorKind.Timeout));
            return true;
        }

        public void Done(Pending pending)
        {
            lock (owner._sync)
            {
                if (_current == pending)
                {
                    _current = null;
                }
            }

            Volatile.Write(ref _busy, 0);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class Pending(ScriptedChannel channel, long generation) : IValueTaskSource<RequestOutcome>
    {
        private ManualResetValueTaskSourceCore<RequestOutcome> _core = new() { RunContinuationsAsynchronously = true };

        public long Generation { get; } = generation;

        public ValueTask<RequestOutcome> Task => new(this, _core.Version);

        public void Complete(RequestOutcome outcome)
        {
            channel.Done(this);
            _core.SetResult(outcome);
        }

        public RequestOutcome GetResult(short token) => _core.GetResult(token);

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }
}
