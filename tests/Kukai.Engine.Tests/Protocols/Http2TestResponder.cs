using System.Buffers.Binary;
using System.Text;

namespace Kukai.Engine.Tests.Protocols;

/// <summary>
/// Just enough of an HTTP/2 server (RFC 9113) for the client tests: reads the preface, exchanges SETTINGS, answers
/// PING, and answers every request stream with one status and body. Request headers are not decoded; the response's
/// :status is a literal HPACK field with the static table's name (index 8).
/// </summary>
internal static class Http2TestResponder
{
    private const byte Data = 0x0;
    private const byte Headers = 0x1;
    private const byte Settings = 0x4;
    private const byte Ping = 0x6;
    private const byte GoAway = 0x7;
    private const byte EndStream = 0x1;
    private const byte Ack = 0x1;
    private const byte EndHeaders = 0x4;

    /// <param name="connection">The accepted connection (TLS with ALPN h2, or cleartext with prior knowledge).</param>
    /// <param name="status">The response status.</param>
    /// <param name="body">The response body.</param>
    /// <param name="onRequest">Called for each request stream; answer it only when this returns true.</param>
    public static async Task ServeAsync(ServerConnection connection, int status, string body, Func<bool>? onRequest = null)
    {
        var preface = await connection.ReadExactAsync(24);
        if (preface is null)
        {
            return;
        }

        Assert.Equal("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", Encoding.ASCII.GetString(preface));
        await WriteFrameAsync(connection, Settings, 0, 0, []);
        while (await connection.ReadExactAsync(9) is { } header)
        {
            int length = (header[0] << 16) | (header[1] << 8) | header[2];
            byte type = header[3];
            byte flags = header[4];
            int stream = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(5)) & 0x7FFFFFFF;
            var payload = await connection.ReadExactAsync(length);
            if (payload is null)
            {
                return;
            }

            switch (type)
            {
                case Settings when (flags & Ack) == 0:
                    await WriteFrameAsync(connection, Settings, Ack, 0, []);
                    break;
                case Ping when (flags & Ack) == 0:
                    await WriteFrameAsync(connection, Ping, Ack, 0, payload);
                    break;
                case Headers when onRequest?.Invoke() ?? true:
                    byte[] fields = [0x08, 0x03, .. Encoding.ASCII.GetBytes(status.ToString(System.Globalization.CultureInfo.InvariantCulture))];
                    await WriteFrameAsync(connection, Headers, body.Length == 0 ? (byte)(EndHeaders | EndStream) : EndHeaders, stream, fields);
                    if (body.Length > 0)
                    {
                        await WriteFrameAsync(connection, Data, EndStream, stream, Encoding.UTF8.GetBytes(body));
                    }

                    break;
                case GoAway:
                    return;
            }
        }
    }

    private static async Task WriteFrameAsync(ServerConnection connection, byte type, byte flags, int stream, byte[] payload)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(5), stream);
        payload.CopyTo(frame, 9);
        await connection.WriteAsync(frame);
    }
}
