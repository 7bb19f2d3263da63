using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Kukai.Engine.Protocols;

/// <summary>
/// A request slot on the factory's shared <c>SocketsHttpHandler</c>, for <c>https://</c> and HTTP/2 targets. Slower
/// than <see cref="Http1Channel"/> (a request message per send, exceptions for failures), but TLS and HTTP/2 come
/// from the BCL. Exceptions stay inside: every network or protocol failure becomes an <see cref="ErrorKind"/>.
/// </summary>
/// <remarks>
/// Aborts cancel the channel's <see cref="CancellationTokenSource"/>, reused across sends via
/// <see cref="CancellationTokenSource.TryReset"/>; the template's timeout, plus <see cref="BackstopMarginMs"/>, is a
/// backstop on the same source. The engine's watchdog times requests out from their intended start, precisely; the
/// backstop's coarse timer fired up to a few milliseconds early and counted answers within the timeout as timeouts.
/// Bytes: <see cref="RequestOutcome.BytesSent"/> is the request's HTTP/1.1 size (see
/// <see cref="HttpClientChannelFactory.EstimatedRequestBytes"/>), counted once the request was handed to a
/// connection; <see cref="RequestOutcome.BytesReceived"/> is the body as read (after de-chunking) plus an estimate of
/// the status line and headers in HTTP/1.1 form (<c>Name: value</c> lines). Neither includes TLS or HTTP/2 framing.
/// </remarks>
internal sealed class HttpClientChannel : ChannelBase
{
    private const int ReadBufferSize = 16 * 1024;

    /// <summary>How much later than the timeout the backstop fires (it only matters without the engine's watchdog).</summary>
    internal const int BackstopMarginMs = 50;

    private readonly HttpClientChannelFactory _factory;
    private readonly byte[] _buffer = new byte[ReadBufferSize];
    private CancellationTokenSource _cts = new();

    public HttpClientChannel(HttpClientChannelFactory factory) => _factory = factory;

    public override async ValueTask<RequestOutcome> SendAsync()
    {
        // A fresh (or reset) token before the generation starts, so that TryAbort of this generation cancels it.
        if (!_cts.TryReset())
        {
            _cts.Dispose();
            _cts = new CancellationTokenSource();
        }

        long generation = BeginSend();
        if (_factory.TimeoutMs > 0)
        {
            _cts.CancelAfter(_factory.TimeoutMs + BackstopMarginMs);
        }

        var token = _cts.Token;
        int status = 0;
        long received = 0;
        ErrorKind error;
        try
        {
            using var request = _factory.CreateRequest();
            using var response = await _factory.Invoker.SendAsync(request, token).ConfigureAwait(false);
            status = (int)response.StatusCode;
            received = EstimateHeadBytes(response);
            var body = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                int n;
                while ((n = await body.ReadAsync(_buffer, token).ConfigureAwait(false)) > 0)
                {
                    received += n;
                }
            }

            error = ErrorKinds.FromStatus(status);
        }
        catch (OperationCanceledException)
        {
            error = ErrorKind.Timeout; // our abort or the backstop: the only token passed in is ours
        }
        catch (HttpRequestException e)
        {
            error = Classify(e);
        }
        catch (IOException e)
        {
            error = Classify(e);
        }

        if (!EndSend(generation))
        {
            error = ErrorKind.Timeout;
        }

        long sent = error == ErrorKind.Connect ? 0 : _factory.EstimatedRequestBytes;
        return new RequestOutcome(error, status, sent, received);
    }

    public override ValueTask DisposeAsync()
    {
        _cts.Dispose();
        return ValueTask.CompletedTask;
    }

    protected override void OnAborted()
    {
        try
        {
            _cts.Cancel();
        }
        catch (AggregateException)
        {
            // A cancellation callback of the handler failed; the token is cancelled all the same.
        }
    }

    /// <summary>Maps a failure of the HTTP stack to the kind the results count it as.</summary>
    internal static ErrorKind Classify(Exception exception) => exception switch
    {
        HttpRequestException e => Classify(e.HttpRequestError, e.InnerException),
        HttpIOException e => Classify(e.HttpRequestError, e.InnerException),
        SocketException e => Classify(e.SocketErrorCode),
        IOException { InnerException: { } inner } => Classify(inner),
        _ => ErrorKind.Reset,
    };

    private static ErrorKind Classify(HttpRequestError error, Exception? inner) => error switch
    {
        HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError
            or HttpRequestError.ProxyTunnelError => ErrorKind.Connect,
        HttpRequestError.ResponseEnded => ErrorKind.Reset,
        HttpRequestError.HttpProtocolError or HttpRequestError.InvalidResponse or HttpRequestError.VersionNegotiationError
            or HttpRequestError.ConfigurationLimitExceeded or HttpRequestError.UserAuthenticationError => ErrorKind.Protocol,
        _ => inner is null ? ErrorKind.Reset : Classify(inner),
    };

    private static ErrorKind Classify(SocketError error) => error switch
    {
        SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.HostUnreachable or SocketError.NetworkUnreachable
            or SocketError.AddressNotAvailable or SocketError.NoData or SocketError.TryAgain => ErrorKind.Connect,
        _ => ErrorKind.Reset,
    };

    // "HTTP/1.1 200 OK\r\n", "Name: value, value\r\n" per field, "\r\n".
    private static long EstimateHeadBytes(HttpResponseMessage response)
    {
        long bytes = "HTTP/1.1 200 \r\n".Length + (response.ReasonPhrase?.Length ?? 0) + 2;
        bytes += EstimateFieldBytes(response.Headers) + EstimateFieldBytes(response.Content.Headers);
        return bytes;
    }

    private static long EstimateFieldBytes(HttpHeaders headers)
    {
        long bytes = 0;
        foreach (var (name, values) in headers.NonValidated)
        {
            bytes += name.Length + 4; // ": " and CRLF
            int i = 0;
            foreach (string value in values)
            {
                bytes += value.Length + (i++ > 0 ? 2 : 0);
            }
        }

        return bytes;
    }
}
