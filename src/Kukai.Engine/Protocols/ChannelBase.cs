namespace Kukai.Engine.Protocols;

/// <summary>
/// The generation and abort bookkeeping of <see cref="IRequestChannel"/>, shared by every channel.
/// </summary>
/// <remarks>
/// <c>_active</c> is 0 while idle, <c>g</c> while send <c>g</c> runs, and <c>-g</c> once <see cref="TryAbort"/> won
/// the race for it. Both sides race with one compare-and-swap, so exactly one of "the send finished" and "the send
/// was aborted" happens:
/// <list type="number">
/// <item><see cref="TryAbort"/> swaps <c>g</c> for <c>-g</c> and, still holding <c>_abortLock</c>, runs
/// <see cref="OnAborted"/> (close the socket, cancel the token) so the pending I/O completes promptly.</item>
/// <item><see cref="EndSend"/> swaps <c>g</c> for 0. When that fails the send was aborted: it takes
/// <c>_abortLock</c> once, which waits until <see cref="OnAborted"/> has finished, so an abort of send <c>g</c> can
/// never touch the socket or token of send <c>g + 1</c>.</item>
/// </list>
/// The lock is only ever taken by <see cref="TryAbort"/> and on the (rare) aborted path, so a normal send costs two
/// interlocked operations and no lock.
/// </remarks>
internal abstract class ChannelBase : IRequestChannel
{
    private readonly Lock _abortLock = new();
    private long _generation;
    private long _active;

    public long Generation => Volatile.Read(ref _generation);

    public abstract ValueTask<RequestOutcome> SendAsync();

    public bool TryAbort(long generation)
    {
        if (generation <= 0)
        {
            return false;
        }

        lock (_abortLock)
        {
            if (Interlocked.CompareExchange(ref _active, -generation, generation) != generation)
            {
                return false;
            }

            OnAborted();
            return true;
        }
    }

    public abstract ValueTask DisposeAsync();

    /// <summary>See <see cref="IRequestChannel.WarmUpAsync"/>: nothing by default.</summary>
    public virtual ValueTask WarmUpAsync() => ValueTask.CompletedTask;

    /// <summary>Starts a send: the next generation. Called first thing in <see cref="SendAsync"/>, synchronously.</summary>
    protected long BeginSend()
    {
        long generation = _generation + 1;
        Volatile.Write(ref _generation, generation);
        Volatile.Write(ref _active, generation);
        return generation;
    }

    /// <summary>Ends send <paramref name="generation"/>: true when it finished on its own, false when it was aborted
    /// (the caller reports <see cref="ErrorKind.Timeout"/> and discards the connection).</summary>
    protected bool EndSend(long generation)
    {
        if (Interlocked.CompareExchange(ref _active, 0, generation) == generation)
        {
            return true;
        }

        // TryAbort holds the lock from its swap until OnAborted returns: wait for it to be done with this send.
        _abortLock.Enter();
        _abortLock.Exit();
        Volatile.Write(ref _active, 0);
        return false;
    }

    /// <summary>True once <see cref="TryAbort"/> has won against send <paramref name="generation"/>.</summary>
    protected bool IsAborted(long generation) => Volatile.Read(ref _active) != generation;

    /// <summary>Makes the send in progress complete promptly. Runs on the aborting thread, under the abort lock.</summary>
    protected abstract void OnAborted();
}
