using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Authentication;

namespace Kukai.Engine.Protocols;

/// <summary>
/// A lean HTTP/1.1 client for <c>http://</c> and <c>https://</c> targets: one keep-alive connection (with TLS, an
/// <see cref="SslStream"/> over it, set up on its first request), the request pre-encoded by the factory and written
/// with one send, the response parsed in place by <see cref="Http1ResponseParser"/> over a reusable buffer. No
/// allocation per request once connected.
/// </summary>
/// <remarks>
/// A request is sent exactly once, never retried (counts must reconcile with the target's; .NET's HTTP client
/// silently sends a request again when a reused connection closes before answering, which is why https over HTTP/1.1
/// comes here). A failed TLS handshake is a connect error, as a refused connection is. The connection is closed,
/// and the next send reconnects, after <c>Connection: close</c>, an HTTP/1.0 response without keep-alive, a body read
/// to close, any error, an abort, or bytes the server sent beyond the response (no pipelining, so they can only be
/// out of sync). <see cref="RequestOutcome.BytesReceived"/> counts every byte read during the send, interim 1xx
/// responses included.
/// </remarks>
internal sealed class Http1Channel : SocketChannel
{
    /// <summary>Receive buffer per channel. Bodies stream through it; a single header line longer than this is a
    /// protocol error. 16 KiB keeps thousands of channels cheap while large bodies still need few reads.</summary>
    public const int ReceiveBufferSize = 16 * 1024;

    private readonly ReadOnlyMemory<byte> _request;
    private readonly bool _head;
    private readonly byte[] _buffer = new byte[ReceiveBufferSize];
    private readonly Http1ResponseParser _parser = new();
    private readonly SslClientAuthenticationOptions? _tls;
    private SslStream? _ssl;
    private Socket? _sslSocket; // the socket _ssl runs over

    public Http1Channel(TargetEndpoints endpoints, ReadOnlyMemory<byte> request, bool head, SslClientAuthenticationOptions? tls = null)
        : base(endpoints)
    {
        _request = request;
        _head = head;
        _tls = tls;
    }

    public override ValueTask DisposeAsync()
    {
        _ssl?.Dispose();
        return base.DisposeAsync();
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<RequestOutcome> SendAsync()
    {
        long generation = BeginSend();
        long sent = 0;
        long received = 0;
        var error = ErrorKind.None;
        bool keep = false;
        _parser.Reset(_head);

        var socket = CurrentSocket ?? await ConnectAsync(generation).ConfigureAwait(false);
        var ssl = socket is null || _tls is null ? null : socket == _sslSocket ? _ssl : await StartTlsAsync(socket).ConfigureAwait(false);
        if (socket is null || (_tls is not null && ssl is null))
        {
            CloseSocket();
            return EndSend(generation) ? RequestOutcome.Failed(ErrorKind.Connect) : Aborted(0, 0);
        }

        try
        {
            if (ssl is not null)
            {
                await ssl.WriteAsync(_request).ConfigureAwait(false);
                sent = _request.Length;
            }
            else
            {
                var pending = _request;
                while (!pending.IsEmpty)
                {
                    int n = await socket.SendAsync(pending, SocketFlags.None).ConfigureAwait(false);
                    sent += n;
                    pending = pending[n..];
                }
            }

            // _buffer[start..end] holds received bytes the parser has not consumed yet (at most a partial line).
            int start = 0;
            int end = 0;
            while (true)
            {
                if (end == _buffer.Length)
                {
                    if (start == 0)
                    {
                        error = ErrorKind.Protocol; // one line fills the whole buffer
                        break;
                    }

                    _buffer.AsSpan(start, end - start).CopyTo(_buffer);
                    end -= start;
                    start = 0;
                }

                int n = ssl is null
                    ? await socket.ReceiveAsync(_buffer.AsMemory(end), SocketFlags.None).ConfigureAwait(false)
                    : await ssl.ReadAsync(_buffer.AsMemory(end)).ConfigureAwait(false);
                if (n == 0)
                {
                    error = _parser.OnEndOfStream() ? ErrorKinds.FromStatus(_parser.Status) : ErrorKind.Reset;
                    break;
                }

                received += n;
                end += n;
                var status = _parser.Parse(_buffer.AsSpan(start, end - start), out int consumed);
                start += consumed;
                if (status == Http1ParseStatus.Complete)
                {
                    error = ErrorKinds.FromStatus(_parser.Status);
                    keep = _parser.KeepAlive && start == end;
                    break;
                }

                if (status == Http1ParseStatus.Invalid)
                {
                    error = ErrorKind.Protocol;
                    break;
                }

                if (start == end)
                {
                    start = end = 0;
                }
            }
        }
        catch (SocketException)
        {
            error = ErrorKind.Reset;
        }
        catch (IOException)
        {
            error = ErrorKind.Reset; // through TLS, the socket's failures come wrapped
        }
        catch (ObjectDisposedException)
        {
            error = ErrorKind.Reset; // closed by an abort: EndSend reports the timeout
        }

        if (!EndSend(generation))
        {
            return Aborted(sent, received);
        }

        if (!keep)
        {
            CloseSocket();
        }

        return new RequestOutcome(error, _parser.Status, sent, received);
    }

    private RequestOutcome Aborted(long sent, long received)
    {
        CloseSocket();
        return RequestOutcome.Failed(ErrorKind.Timeout, sent, received, _parser.Status);
    }

    // TLS over a newly connected socket; null when the handshake failed (or an abort closed the socket meanwhile).
    private async ValueTask<SslStream?> StartTlsAsync(Socket socket)
    {
        _ssl?.Dispose();
        _ssl = null;
        _sslSocket = null;
        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: false));
        try
        {
            await ssl.AuthenticateAsClientAsync(_tls!, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or SocketException or ObjectDisposedException)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            return null;
        }

        (_ssl, _sslSocket) = (ssl, socket);
        return ssl;
    }
}
