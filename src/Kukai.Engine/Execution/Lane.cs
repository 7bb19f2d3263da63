using System.Runtime.CompilerServices;
using Kukai.Engine.Metrics;
using Kukai.Engine.Protocols;

namespace Kukai.Engine.Execution;

/// <summary>
/// One request at a time, over its own connection to each target (created on first use). Lanes are what
/// <c>concurrency</c> and <c>connections</c> count. Recording goes to the current thread's metrics stripe.
/// </summary>
internal sealed class Lane
{
    private readonly RunState _run;
    private readonly IRequestChannel?[] _channels;
    private FastRandom _random;

    // The request in flight, read by the timeout watchdog on another thread. The three fields change together under a
    // sequence lock (_sequence is odd while they are written), so the watchdog never pairs one request's channel or
    // generation with another's deadline: a late abort can only name a finished send, which the channel ignores.
    private IRequestChannel? _current;
    private long _generation;
    private long _deadline;
    private long _sequence;

    public Lane(RunState run, int index)
    {
        _run = run;
        Index = index;
        _channels = new IRequestChannel?[run.Factories.Length];
        _random = new FastRandom(run.Seed ^ ((ulong)(index + 1) * 0xBF58476D1CE4E5B9UL));
        Signal = new LaneSignal();
    }

    public int Index { get; }

    /// <summary>Hands a paced lane its next intended start.</summary>
    public LaneSignal Signal { get; }

    /// <summary>
    /// Sends one request and records it. <paramref name="intended"/> is the scheduled start (paced runs) and
    /// <paramref name="laneFree"/> when the request got this lane (its intended start, or later when it waited for a
    /// lane); for an unlimited avalanche pass <paramref name="paced"/> false and latency counts from the actual send.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask SendOneAsync(long intended, long laneFree, bool paced, long taken = 0)
    {
        var target = _run.Selector.Pick(ref _random);
        var channel = _channels[target] ??= _run.Factories[target].CreateChannel();
        RunMetrics.RecordSent(_run.Metrics.CurrentStripe, target);
        var clock = _run.Clock;
        var send = taken != 0 ? taken : clock.Now;
        if (!paced)
        {
            intended = laneFree = send;
        }

        RequestOutcome outcome;
        try
        {
            var pending = channel.SendAsync();
            Publish(channel, channel.Generation, send + _run.TimeoutTicks);
            outcome = await pending.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Channels return failures as values; an exception here is a bug. Count the request as a protocol
            // error so no request goes missing, and keep the exception for the run's result.
            _run.ReportUnexpected(ex);
            outcome = RequestOutcome.Failed(ErrorKind.Protocol);
        }
        finally
        {
            Volatile.Write(ref _deadline, 0);
        }

        var end = clock.Now;
        try
        {
            _run.Metrics.RecordCompletion(_run.Metrics.CurrentStripe, target, intended, laneFree, send, end, outcome);
        }
        catch (Exception ex)
        {
            // The record sink failed (the counters are already updated). Keep the exception for the run's result
            // rather than let it end this lane's loop, which would leave its dispatcher waiting for it for ever.
            _run.ReportUnexpected(ex);
        }
    }

    /// <summary>Opens this lane's connection to <paramref name="target"/> before the test starts (see <see cref="IRequestChannel.WarmUpAsync"/>).</summary>
    public ValueTask WarmUpAsync(int target)
    {
        var channel = _channels[target] ??= _run.Factories[target].CreateChannel();
        return channel.WarmUpAsync();
    }

    /// <summary>Called by the watchdog: aborts the request in flight if it is past its deadline.</summary>
    public void AbortIfExpired(long now)
    {
        if (TryReadInFlight(out var channel, out var generation, out var deadline) && now > deadline)
        {
            channel.TryAbort(generation);
        }
    }

    /// <summary>Aborts whatever is in flight (hard stop).</summary>
    public void Abort()
    {
        if (TryReadInFlight(out var channel, out var generation, out _))
        {
            channel.TryAbort(generation);
        }
    }

    // Single writer (this lane): odd sequence while writing, even when the fields are consistent.
    private void Publish(IRequestChannel channel, long generation, long deadline)
    {
        Volatile.Write(ref _sequence, _sequence + 1);
        _current = channel;
        _generation = generation;
        _deadline = deadline;
        Volatile.Write(ref _sequence, _sequence + 1);
    }

    // Any thread: a consistent snapshot of the request in flight, or false when none (or it is being replaced).
    private bool TryReadInFlight([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IRequestChannel? channel, out long generation, out long deadline)
    {
        var before = Volatile.Read(ref _sequence);
        channel = _current;
        generation = _generation;
        deadline = Volatile.Read(ref _deadline);
        Interlocked.MemoryBarrier();
        if ((before & 1) != 0 || Volatile.Read(ref _sequence) != before || deadline == 0 || channel is null)
        {
            channel = null;
            return false;
        }

        return true;
    }

    public async ValueTask DisposeChannelsAsync()
    {
        foreach (var c in _channels)
        {
            if (c is not null)
            {
                await c.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
