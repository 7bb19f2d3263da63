using System.Net;
using System.Net.Sockets;

namespace Kukai.Engine.Tests.Testing;

/// <summary>
/// The accepting half of the tests' servers: listens on 127.0.0.1 port 0 and runs <c>serve</c> for every connection
/// on the thread pool (with NoDelay set and the connection's index from 1). Disposing stops accepting, closes every
/// connection and awaits the handlers, which own their sockets (and dispose them when done).
/// </summary>
internal sealed class LoopbackListener : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<Socket, int, CancellationToken, Task> _serve;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly List<Task> _connections = [];
    private readonly List<Socket> _sockets = [];
    private readonly Task _acceptLoop;
    private int _accepted;

    public LoopbackListener(Func<Socket, int, CancellationToken, Task> serve, int backlog = 1024)
    {
        _serve = serve;
        _listener.Start(backlog);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port { get; }

    /// <summary>Connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Cancelled when the server is being disposed.</summary>
    public CancellationToken Stopping => _stop.Token;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        Task[] connections;
        lock (_gate)
        {
            foreach (var socket in _sockets)
            {
                socket.Dispose();
            }

            connections = [.. _connections];
        }

        await Task.WhenAll(connections);
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return; // disposed (a listener already stopped throws InvalidOperationException)
            }

            socket.NoDelay = true;
            int index = Interlocked.Increment(ref _accepted);
            lock (_gate)
            {
                _sockets.Add(socket);
                _connections.Add(Task.Run(() => _serve(socket, index, _stop.Token)));
            }
        }
    }
}
