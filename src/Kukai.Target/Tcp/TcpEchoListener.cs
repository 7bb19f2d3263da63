using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Kukai.Target.Logging;
using Kukai.Target.Stall;
using Microsoft.Extensions.Logging;

namespace Kukai.Target.Tcp;

/// <summary>
/// The raw-TCP echo listener: every chunk read on a connection is written back at once, whole.
/// A chunk that arrives during a freeze is echoed when the freeze ends.
/// </summary>
/// <remarks>
/// One async loop per connection over a pooled buffer; socket receives and sends complete without
/// allocating (cached awaitable socket operations). Counters: connections accepted/open, reads,
/// bytes received/sent. Stopping closes the listening socket and every connection.
/// </remarks>
internal sealed class TcpEchoListener
{
    private const int BufferSize = 16 * 1024;
    private const int Backlog = 512;

    private readonly Socket _listener;
    private readonly TargetCounters _counters;
    private readonly StallSchedule? _stall;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Socket, byte> _connections = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _acceptLoop = Task.CompletedTask;
    private int _open;
    private volatile bool _acceptEnded;

    private TcpEchoListener(Socket listener, TargetCounters counters, StallSchedule? stall, TimeProvider time, ILogger logger)
    {
        _listener = listener;
        _counters = counters;
        _stall = stall;
        _time = time;
        _logger = logger;
        EndPoint = (IPEndPoint)listener.LocalEndPoint!;
    }

    /// <summary>The bound address (port resolved when 0 was asked for).</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>Binds <paramref name="endPoint"/> and starts accepting.</summary>
    /// <exception cref="IOException">The address cannot be bound (in use, not local, no permission).</exception>
    public static TcpEchoListener Start(IPEndPoint endPoint, TargetCounters counters, StallSchedule? stall, TimeProvider time, ILogger logger)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6 && endPoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(endPoint);
            socket.Listen(Backlog);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new IOException($"Failed to bind the TCP echo listener to {endPoint}: {e.Message}", e);
        }

        var listener = new TcpEchoListener(socket, counters, stall, time, logger);
        listener._acceptLoop = listener.AcceptLoopAsync();
        return listener;
    }

    /// <summary>Stops accepting, closes every connection and waits for their loops to end. Idempotent.</summary>
    public async Task StopAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            await _drained.Task.ConfigureAwait(false);
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        _acceptEnded = true;

        // No connection is added after the accept loop ended. Shutting a socket down sends FIN to the peer
        // and ends the pending receive with 0 bytes, so its loop closes it.
        foreach (var connection in _connections.Keys)
        {
            try
            {
                connection.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Already reset or closed by its own loop.
            }
        }

        if (Volatile.Read(ref _open) == 0)
        {
            _drained.TrySetResult();
        }

        await _drained.Task.ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await _listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                // Transient (the peer reset before accept, out of descriptors): keep serving the others.
                TargetLog.TcpAcceptFailed(_logger, e);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(10), _time, _stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            connection.NoDelay = true;
            _counters.TcpConnectionOpened();
            Interlocked.Increment(ref _open);
            _connections.TryAdd(connection, 0);
            _ = EchoAsync(connection);
        }
    }

    private async Task EchoAsync(Socket connection)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                var read = await connection.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                _counters.TcpRead(read);
                if (_stall is not null)
                {
                    await _stall.WaitIfFrozenAsync(_stopping.Token).ConfigureAwait(false);
                }

                // Counted before sending, so the count is in place before the peer can see the echo;
                // whatever a failed send leaves unsent is taken back.
                _counters.TcpSent(read);
                var sent = 0;
                try
                {
                    while (sent < read)
                    {
                        sent += await connection.SendAsync(buffer.AsMemory(sent, read - sent), SocketFlags.None).ConfigureAwait(false);
                    }
                }
                catch
                {
                    _counters.TcpSent(sent - read);
                    throw;
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Reset by the peer, or closed because the listener stops.
            if (!_stopping.IsCancellationRequested && e is SocketException { SocketErrorCode: not SocketError.ConnectionReset })
            {
                TargetLog.TcpConnectionFailed(_logger, SafeRemoteEndPoint(connection), e);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _connections.TryRemove(connection, out _);
            connection.Dispose();
            _counters.TcpConnectionClosed();
            if (Interlocked.Decrement(ref _open) == 0 && _acceptEnded)
            {
                _drained.TrySetResult();
            }
        }
    }

    private static EndPoint? SafeRemoteEndPoint(Socket socket)
    {
        try
        {
            return socket.RemoteEndPoint;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return null;
        }
    }
}
