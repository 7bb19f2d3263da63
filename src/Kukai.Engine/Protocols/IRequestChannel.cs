namespace Kukai.Engine.Protocols;

/// <summary>
/// One lane that carries one request at a time to one target: a keep-alive socket for HTTP/1.1 and raw TCP,
/// a request slot on a shared <c>SocketsHttpHandler</c> for https and HTTP/2.
/// </summary>
/// <remarks>
/// Contract:
/// <list type="number">
/// <item>Not thread-safe for concurrent <see cref="SendAsync"/> calls: the engine awaits each send before the next.</item>
/// <item><see cref="SendAsync"/> never throws for network or protocol failures; it returns an outcome with an
/// <see cref="ErrorKind"/>. It (re)connects lazily, so a broken connection is replaced on the next send.</item>
/// <item><see cref="TryAbort"/> may be called from any thread (the timeout watchdog). When <paramref name="generation"/>
/// still names the send in progress, that send completes promptly with <see cref="ErrorKind.Timeout"/> and the
/// connection is discarded. A stale generation is ignored, so a late abort never hits the next request.</item>
/// </list>
/// </remarks>
public interface IRequestChannel : IAsyncDisposable
{
    /// <summary>Incremented when each <see cref="SendAsync"/> starts; the value to pass to <see cref="TryAbort"/>.</summary>
    long Generation { get; }

    /// <summary>Sends one request and reads its whole response.</summary>
    ValueTask<RequestOutcome> SendAsync();

    /// <summary>Aborts the send identified by <paramref name="generation"/> as a timeout; false when it already finished.</summary>
    bool TryAbort(long generation);

    /// <summary>
    /// Opens the connection ahead of the first request, where the channel keeps connections (so a paced test's first
    /// seconds are not spent connecting). Sends nothing; never throws; a failure is left for the first send to find.
    /// </summary>
    ValueTask WarmUpAsync() => ValueTask.CompletedTask;
}
