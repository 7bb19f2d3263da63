using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Kukai.Engine.Tests.Testing;

namespace Kukai.Engine.Tests.Protocols;

/// <summary>
/// A scripted TCP server on 127.0.0.1 port 0: every accepted connection runs the test's handler (optionally behind
/// TLS). Disposing it stops accepting, closes every connection and awaits the handlers; a handler failure other than
/// the client going away fails the test there.
/// </summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly LoopbackListener _listener;
    private readonly Func<ServerConnection, Task> _handler;
    private readonly X509Certificate2? _certificate;
    private readonly List<SslApplicationProtocol>? _alpn;

    private TestServer(Func<ServerConnection, Task> handler, X509Certificate2? certificate, SslApplicationProtocol[] alpn)
    {
        _handler = handler;
        _certificate = certificate;
        _alpn = alpn.Length > 0 ? [.. alpn] : null;
        _listener = new LoopbackListener(RunAsync);
    }

    public int Port => _listener.Port;

    /// <summary>Connections accepted so far.</summary>
    public int Connections => _listener.Accepted;

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

    public ValueTask DisposeAsync() => _listener.DisposeAsync();

    private async Task RunAsync(Socket socket, int index, CancellationToken ct)
    {
        try
        {
            Stream stream = new NetworkStream(socket, ownsSocket: false);
            if (_certificate is not null)
            {
                var tls = new SslStream(stream);
                var options = new SslServerAuthenticationOptions { ServerCertificate = _certificate, ApplicationProtocols = _alpn };
                await tls.AuthenticateAsServerAsync(options, ct);
                stream = tls;
            }

            await _handler(new ServerConnection(socket, stream, index, ct));
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
