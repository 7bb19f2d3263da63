using System.Net.Sockets;
using System.Text;

namespace Kukai.Engine.Tests.Protocols;

/// <summary>One accepted connection of a <see cref="TestServer"/>, with helpers to read requests and script replies.</summary>
internal sealed class ServerConnection(Socket socket, Stream stream, int index, CancellationToken stopping)
{
    private readonly byte[] _buffer = new byte[256 * 1024];
    private int _start;
    private int _end;

    public Socket Socket { get; } = socket;

    public Stream Stream { get; } = stream;

    /// <summary>1 for the first connection the server accepted, 2 for the second, ...</summary>
    public int Index { get; } = index;

    public CancellationToken Stopping { get; } = stopping;

    /// <summary>Reads one HTTP/1.1 request (head and Content-Length body) as sent; null when the client closed first.</summary>
    public async Task<byte[]?> ReadRequestAsync()
    {
        int headEnd;
        while ((headEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (!await FillAsync())
            {
                return null;
            }
        }

        int headLength = headEnd + 4;
        string head = Encoding.UTF8.GetString(_buffer, _start, headLength);
        int bodyLength = 0;
        foreach (string line in head.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                bodyLength = int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return await ReadExactAsync(headLength + bodyLength);
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes; null when the client closed first.</summary>
    public async Task<byte[]?> ReadExactAsync(int count)
    {
        while (_end - _start < count)
        {
            if (!await FillAsync())
            {
                return null;
            }
        }

        var bytes = _buffer.AsSpan(_start, count).ToArray();
        _start += count;
        return bytes;
    }

    /// <summary>True when the client closed its side (reads to the end, discarding).</summary>
    public async Task<bool> ReadToEndAsync()
    {
        _start = _end = 0;
        while (await FillAsync())
        {
            _start = _end = 0;
        }

        return true;
    }

    public async Task WriteAsync(string text) => await WriteAsync(Encoding.UTF8.GetBytes(text));

    public async Task WriteAsync(byte[] bytes)
    {
        await Stream.WriteAsync(bytes, Stopping);
        await Stream.FlushAsync(Stopping);
    }

    /// <summary>Writes one byte per write, so the client sees the reply split at every possible boundary (or close).</summary>
    public async Task WriteByteByByteAsync(string text)
    {
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            await Stream.WriteAsync(new[] { b }, Stopping);
            await Stream.FlushAsync(Stopping);
        }
    }

    /// <summary>Closes with a TCP reset (linger 0).</summary>
    public void Reset()
    {
        Socket.LingerState = new LingerOption(true, 0);
        Socket.Close();
    }

    /// <summary>Closes gracefully (FIN).</summary>
    public void Close()
    {
        Socket.Shutdown(SocketShutdown.Both);
        Socket.Close();
    }

    /// <summary>Waits until the server shuts down (for handlers that must never answer).</summary>
    public Task HangAsync() => Task.Delay(Timeout.Infinite, Stopping);

    private async Task<bool> FillAsync()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        int n = await Stream.ReadAsync(_buffer.AsMemory(_end), Stopping);
        _end += n;
        return n > 0;
    }
}
