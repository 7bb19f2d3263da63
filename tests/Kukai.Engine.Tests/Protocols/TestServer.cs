using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Kukai.Engine.Tests.Protocols;

/// <summary>
/// A scripted TCP server on 127.0.0.1 port 0: every accepted connection runs the test's handler (optionally behind
/// TLS). Disposing it stops accepting, closes every connection and awaits the handlers; a handler failure other than
/// the client going away fails the test there.
/// </summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<ServerConnection, Task> _handler;
    private readonly X509Certificate2? _certificate;
    private readonly List<SslApplicationProtocol>? _alpn;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly List<Task> _connections = [];
    private readonly List<Socket> _sockets = [];
    private readonly Task _acceptLoop;
    private int _accepted;

    private TestServer(Func<ServerConnection, Task> handler, X509Certificate2? certificate, SslApplicationProtocol[] alpn)
    {
        _handler = handler;
        _certificate = certificate;
        _alpn = alpn.Length > 0 ? [.. alpn] : null;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port { get; }

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _accepted);

    public static TestServer Start(Func<ServerConnection, Task> handler) => new(handler, null, []);

    public static TestServer StartTls(Func<ServerConnection, Task> handler, params SslApplicationProtocol[] alpn) =>
        new(handler, TestCertificates.Localhost, alpn);

    public string Url(string pathAndQuery = "/") => $"{(_certificate is null ? "http" : "https")}://127.0.0.1:{Port}{pathAndQuery}";

    /// <summary>A port nothing listens on (bound, then released).</summary>
    public static int RefusedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

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
                return;
            }

            socket.NoDelay = true;
            int index = Interlocked.Increment(ref _accepted);
            lock (_gate)
            {
                _sockets.Add(socket);
                _connections.Add(Task.Run(() => RunAsync(socket, index)));
            }
        }
    }

    private async Task RunAsync(Socket socket, int index)
    {
        try
        {
            Stream stream = new NetworkStream(socket, ownsSocket: false);
            if (_certificate is not null)
            {
                var tls = new SslStream(stream);
                var options = new SslServerAuthenticationOptions { ServerCertificate = _certificate, ApplicationProtocols = _alpn };
                await tls.AuthenticateAsServerAsync(options, _stop.Token);
                stream = tls;
            }

            await _handler(new ServerConnection(socket, stream, index, _stop.Token));
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or AuthenticationException)
        {
            // The client went away, or the server is shutting down.
        }
        finally
        {
            socket.Dispose();
        }
    }
}
