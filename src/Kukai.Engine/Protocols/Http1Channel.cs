using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Kukai.Engine.Protocols;

/// <summary>
/// A lean HTTP/1.1 client for <c>http://</c> targets: one keep-alive connection, the request pre-encoded by the
/// factory and written with one send, the response parsed in place by <see cref="Http1ResponseParser"/> over a
/// reusable buffer. No allocation per request once connected.
/// </summary>
/// <remarks>
/// A request is sent exactly once, never retried (counts must reconcile with the target's). The connection is closed,
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

    public Http1Channel(TargetEndpoints endpoints, ReadOnlyMemory<byte> request, bool head)
        : base(endpoints)
    {
        _request = request;
        _head = head;
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
        if (socket is null)
        {
            return EndSend(generation) ? RequestOutcome.Failed(ErrorKind.Connect) : Aborted(0, 0);
        }

        try
        {
            var pending = _request;
            while (!pending.IsEmpty)
            {
                int n = await socket.SendAsync(pending, SocketFlags.None).ConfigureAwait(false);
                sent += n;
                pending = pending[n..];
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

                int n = await socket.ReceiveAsync(_buffer.AsMemory(end), SocketFlags.None).ConfigureAwait(false);
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
}
