using System.Net.Sockets;

namespace Kukai.Engine.Protocols;

/// <summary>
/// A channel over one TCP socket at a time: lazy connect, discard on error or abort. An abort closes the socket, which
/// completes the pending connect, send or receive at once.
/// </summary>
internal abstract class SocketChannel : ChannelBase
{
    private readonly TargetEndpoints _endpoints;
    private Socket? _socket;
    private bool _disposed;

    protected SocketChannel(TargetEndpoints endpoints) => _endpoints = endpoints;

    /// <summary>The connected socket, or null when the next send must connect. Written only by the sending thread.</summary>
    protected Socket? CurrentSocket => _socket;

    public override ValueTask DisposeAsync()
    {
        _disposed = true;
        CloseSocket();
        return ValueTask.CompletedTask;
    }

    protected override void OnAborted() => Volatile.Read(ref _socket)?.Dispose();

    /// <summary>Whether a connection outlives one request (raw TCP without keep-alive connects per request).</summary>
    protected virtual bool KeepsConnections => true;

    public override async ValueTask WarmUpAsync()
    {
        if (!KeepsConnections || _disposed || CurrentSocket is not null)
        {
            return;
        }

        var generation = BeginSend();
        try
        {
            await ConnectAsync(generation).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            EndSend(generation);
        }
    }

    /// <summary>Closes and forgets the current socket; the next send reconnects.</summary>
    protected void CloseSocket() => Interlocked.Exchange(ref _socket, null)?.Dispose();

    /// <summary>
    /// Connects a new socket for send <paramref name="generation"/>, trying each of the target's addresses once.
    /// Null when every attempt failed or the send was aborted; the caller tells the two apart with
    /// <see cref="ChannelBase.EndSend"/>.
    /// </summary>
    protected async ValueTask<Socket?> ConnectAsync(long generation)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var endpoints = await _endpoints.ResolveAsync().ConfigureAwait(false);
        if (endpoints is null)
        {
            return null;
        }

        int first = _endpoints.Preferred;
        for (int attempt = 0; attempt < endpoints.Length; attempt++)
        {
            int index = (first + attempt) % endpoints.Length;
            var endpoint = endpoints[index];
            var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };

            // Publish before connecting, with a full fence, then look for an abort: either TryAbort sees this socket
            // and closes it (cancelling the connect), or we see the abort here. See ChannelBase.
            Interlocked.Exchange(ref _socket, socket)?.Dispose();
            if (IsAborted(generation))
            {
                CloseSocket();
                return null;
            }

            try
            {
                await socket.ConnectAsync(endpoint, CancellationToken.None).ConfigureAwait(false);
                if (index != first)
                {
                    _endpoints.Preferred = index;
                }

                return socket;
            }
            catch (SocketException)
            {
                CloseSocket();
            }
            catch (ObjectDisposedException)
            {
                CloseSocket();
                return null;
            }
        }

        return null;
    }
}
