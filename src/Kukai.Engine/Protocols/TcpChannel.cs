using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Kukai.Engine.Protocols;

/// <summary>
/// Raw TCP: sends the payload, then reads until the reply is complete — at its first bytes (default), after
/// <see cref="RequestTemplate.ResponseBytes"/> bytes, or once it contains <see cref="RequestTemplate.ResponseDelimiter"/>.
/// Status is always 0.
/// </summary>
/// <remarks>
/// With keep-alive the connection carries every request (reconnecting after a close or error); without, each request
/// connects, sends, reads and closes, the connect counting as part of the request. Raw TCP has no framing, so bytes
/// that arrive in the same read as the end of a reply are counted with it, and bytes the server sends later are
/// counted with (and may complete) the next request.
/// </remarks>
internal sealed class TcpChannel : SocketChannel
{
    /// <summary>Receive buffer per channel; replies stream through it.</summary>
    public const int ReceiveBufferSize = 16 * 1024;

    private readonly ReadOnlyMemory<byte> _payload;
    private readonly bool _keepAlive;
    private readonly long _responseBytes;
    private readonly DelimiterScanner? _delimiter;
    private readonly byte[] _buffer = new byte[ReceiveBufferSize];

    protected override bool KeepsConnections => _keepAlive;

    public TcpChannel(TargetEndpoints endpoints, RequestTemplate template)
        : base(endpoints)
    {
        _payload = template.Body;
        _keepAlive = template.KeepAlive;
        _responseBytes = template.ResponseBytes ?? 0;
        _delimiter = template.ResponseDelimiter.IsEmpty ? null : new DelimiterScanner(template.ResponseDelimiter.Span);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<RequestOutcome> SendAsync()
    {
        long generation = BeginSend();
        long sent = 0;
        long received = 0;
        var error = ErrorKind.None;

        var socket = CurrentSocket ?? await ConnectAsync(generation).ConfigureAwait(false);
        if (socket is null)
        {
            return EndSend(generation) ? RequestOutcome.Failed(ErrorKind.Connect) : Aborted(0, 0);
        }

        try
        {
            var pending = _payload;
            while (!pending.IsEmpty)
            {
                int n = await socket.SendAsync(pending, SocketFlags.None).ConfigureAwait(false);
                sent += n;
                pending = pending[n..];
            }

            _delimiter?.Reset();
            while (true)
            {
                int n = await socket.ReceiveAsync(_buffer, SocketFlags.None).ConfigureAwait(false);
                if (n == 0)
                {
                    error = ErrorKind.Reset;
                    break;
                }

                received += n;
                if (_responseBytes > 0 ? received >= _responseBytes : _delimiter is null || _delimiter.Push(_buffer.AsSpan(0, n)))
                {
                    break;
                }
            }
        }
        catch (SocketException)
        {
            error = ErrorKind.Reset;
        }
        catch (ObjectDisposedException)
        {
            error = ErrorKind.Reset; // closed by an abort: EndSend reports the timeout
        }

        if (!EndSend(generation))
        {
            return Aborted(sent, received);
        }

        if (error != ErrorKind.None || !_keepAlive)
        {
            CloseSocket();
        }

        return new RequestOutcome(error, 0, sent, received);
    }

    private RequestOutcome Aborted(long sent, long received)
    {
        CloseSocket();
        return RequestOutcome.Failed(ErrorKind.Timeout, sent, received);
    }
}
