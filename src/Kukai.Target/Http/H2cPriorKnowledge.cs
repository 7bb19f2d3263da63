using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace Kukai.Target.Http;

/// <summary>
/// Serves HTTP/1.1 and HTTP/2 with prior knowledge (h2c) on one cleartext port.
/// </summary>
/// <remarks>
/// Kestrel in .NET 10 picks HTTP/1.1 for every cleartext connection of an <c>Http1AndHttp2</c> endpoint
/// (it negotiates only through TLS ALPN; dotnet/aspnetcore#56984), so h2c clients get HTTP_1_1_REQUIRED.
/// This connection middleware sits on the HTTP/1.1 endpoint, peeks at the first bytes without consuming
/// them, and hands connections that open with the 24-byte HTTP/2 preface to the connection pipeline of an
/// HTTP/2-only endpoint (see <see cref="DetachedEndPoint"/>). HTTP/1.x requests differ from the preface by
/// their second byte at the latest, so they cost one extra read of data already buffered.
/// </remarks>
internal static class H2cPriorKnowledge
{
    /// <summary>How many bytes decide: the length of the HTTP/2 client preface.</summary>
    public const int PrefaceLength = 24;

    private static ReadOnlySpan<byte> Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    /// <summary>The middleware for <c>ListenOptions.Use</c>.</summary>
    /// <param name="http2">The HTTP/2 pipeline; null until its endpoint is bound (then HTTP/1.1 is used).</param>
    public static Func<ConnectionDelegate, ConnectionDelegate> Middleware(Func<ConnectionDelegate?> http2) =>
        http1 => connection => DispatchAsync(connection, http1, http2);

    /// <summary>
    /// Decides from the first bytes of a connection: HTTP/2 once all 24 preface bytes match, HTTP/1 at the
    /// first byte that differs or when the input ends early, otherwise undecided (read more).
    /// </summary>
    public static HttpProtocol Classify(in ReadOnlySequence<byte> buffer, bool inputEnded)
    {
        var length = (int)Math.Min(buffer.Length, PrefaceLength);
        Span<byte> head = stackalloc byte[PrefaceLength];
        buffer.Slice(0, length).CopyTo(head);
        if (!head[..length].SequenceEqual(Preface[..length]))
        {
            return HttpProtocol.Http1;
        }

        if (length == PrefaceLength)
        {
            return HttpProtocol.Http2;
        }

        return inputEnded ? HttpProtocol.Http1 : HttpProtocol.Undecided;
    }

    private static async Task DispatchAsync(ConnectionContext connection, ConnectionDelegate http1, Func<ConnectionDelegate?> http2)
    {
        var input = connection.Transport.Input;
        HttpProtocol protocol;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                protocol = Classify(buffer, result.IsCompleted || result.IsCanceled);
                if (protocol != HttpProtocol.Undecided)
                {
                    // Examined nothing: the chosen protocol reads the same bytes again at once.
                    input.AdvanceTo(buffer.Start);
                    break;
                }

                // Examined everything: the next read waits for more bytes.
                input.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // Reset or aborted (server stopping) before the first request: nothing to serve.
            return;
        }

        var next = protocol == HttpProtocol.Http2 ? http2() ?? http1 : http1;
        await next(connection).ConfigureAwait(false);
    }

    /// <summary>The outcome of <see cref="Classify"/>.</summary>
    internal enum HttpProtocol
    {
        /// <summary>Too few bytes yet.</summary>
        Undecided,

        /// <summary>HTTP/1.x (or anything that is not HTTP/2).</summary>
        Http1,

        /// <summary>HTTP/2 with prior knowledge.</summary>
        Http2,
    }
}
