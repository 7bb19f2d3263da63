using System.Net;
using System.Net.Sockets;

namespace Kukai.Engine.Tests.Testing;

/// <summary>A raw-TCP echo server on 127.0.0.1 port 0 that counts the bytes it echoes.</summary>
internal sealed class EchoTcpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly List<Task> _connections = [];
    private readonly List<Socket> _sockets = [];
    private readonly Task _acceptLoop;
    private long _bytes;

    public EchoTcpServer()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port { get; }

    public long BytesEchoed => Interlocked.Read(ref _bytes);

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

            lock (_gate)
            {
                _sockets.Add(socket);
                _connections.Add(Task.Run(() => EchoAsync(socket)));
            }
        }
    }

    private async Task EchoAsync(Socket socket)
    {
        var buffer = new byte[4096];
        try
        {
            int n;
            while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token)) > 0)
            {
                await socket.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, _stop.Token);
                Interlocked.Add(ref _bytes, n);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The client went away, or the server is shutting down.
        }
        finally
        {
            socket.Dispose();
        }
    }
}
