using System.Runtime.CompilerServices;
using System.Text;

namespace Kukai.Engine.Protocols;

/// <summary>
/// An incremental HTTP/1.x response parser (RFC 9112) that validates framing and counts the body without keeping it.
/// Allocation-free; one instance per connection, reused for every response via <see cref="Reset"/>.
/// </summary>
/// <remarks>
/// The caller owns the buffer: it passes the unconsumed bytes, and when the parser asks for more it keeps the
/// unconsumed tail (at most one partial line) in front of the next read. Lines end with CRLF or a bare LF.
/// <list type="number">
/// <item>Status line <c>HTTP/1.x NNN [reason]</c>; empty lines before it are skipped. Interim 1xx responses (except
/// 101, which we never ask for) are skipped whole.</item>
/// <item>Header fields, case-insensitive names: <c>Content-Length</c> (a list of equal values is accepted, differing
/// values are not), <c>Transfer-Encoding</c> (chunked when its last coding is <c>chunked</c>), <c>Connection</c>
/// (<c>close</c>, <c>keep-alive</c>). Whitespace around names and values is tolerated; an obsolete folded line
/// continues the previous field.</item>
/// <item>Body: none for HEAD, 1xx, 204 and 304; chunked (extensions ignored, trailers skipped); by Content-Length;
/// otherwise until the peer closes (<see cref="OnEndOfStream"/>).</item>
/// </list>
/// Bounds: a response's status line and headers (and separately a body's trailers) at most
/// <see cref="MaxHeaderSectionBytes"/>; a chunk-size line at most <see cref="MaxChunkLineBytes"/>.
/// </remarks>
internal sealed class Http1ResponseParser
{
    /// <summary>Most bytes of one status line plus header section, or of one trailer section.</summary>
    public const int MaxHeaderSectionBytes = 64 * 1024;

    /// <summary>Most bytes of one chunk-size line, extensions included.</summary>
    public const int MaxChunkLineBytes = 4 * 1024;

    private State _state;
    private bool _head;
    private int _sectionBytes;
    private long _remaining;
    private long _contentLength;
    private bool _http10;
    private bool _hasTransferEncoding;
    private bool _chunked;
    private bool _close;
    private bool _keepAliveToken;
    private Field _lastField;

    private enum State
    {
        StatusLine,
        Header,
        Body,
        BodyToClose,
        ChunkSize,
        ChunkData,
        ChunkDataEnd,
        Trailer,
        Done,
    }

    private enum Field
    {
        None,
        Other,
        ContentLength,
        TransferEncoding,
        Connection,
    }

    /// <summary>The status code of the last status line read (an interim 1xx until the final one); 0 before any.</summary>
    public int Status { get; private set; }

    /// <summary>After <see cref="Http1ParseStatus.Complete"/>: whether the connection may carry the next request.</summary>
    public bool KeepAlive => _state == State.Done && !_close && (!_http10 || _keepAliveToken);

    /// <summary>Prepares for the response to a new request; <paramref name="head"/> when the request was HEAD.</summary>
    public void Reset(bool head)
    {
        _head = head;
        Status = 0;
        StartResponse();
    }

    /// <summary>
    /// Consumes as much of <paramref name="data"/> as it can. On <see cref="Http1ParseStatus.NeedMore"/> the bytes
    /// after <paramref name="consumed"/> (a partial line) must be passed again, followed by newly read ones.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Http1ParseStatus Parse(ReadOnlySpan<byte> data, out int consumed)
    {
        int pos = 0;
        while (true)
        {
            switch (_state)
            {
                case State.Done:
                    consumed = pos;
                    return Http1ParseStatus.Complete;

                case State.Body:
                case State.ChunkData:
                    if (pos == data.Length)
                    {
                        consumed = pos;
                        return Http1ParseStatus.NeedMore;
                    }

                    long take = Math.Min(_remaining, data.Length - pos);
                    pos += (int)take;
                    _remaining -= take;
                    if (_remaining == 0)
                    {
                        _state = _state == State.Body ? State.Done : State.ChunkDataEnd;
                    }

                    break;

                case State.BodyToClose:
                    consumed = data.Length;
                    return Http1ParseStatus.NeedMore;

                default:
                    if (pos == data.Length)
                    {
                        consumed = pos;
                        return Http1ParseStatus.NeedMore;
                    }

                    var rest = data[pos..];
                    int lf = rest.IndexOf((byte)'\n');
                    if (lf < 0)
                    {
                        consumed = pos;
                        return FitsLine(rest) ? Http1ParseStatus.NeedMore : Http1ParseStatus.Invalid;
                    }

                    var line = rest[..lf];
                    if (!line.IsEmpty && line[^1] == (byte)'\r')
                    {
                        line = line[..^1];
                    }

                    pos += lf + 1;
                    if (!CountLine(lf + 1) || !OnLine(line))
                    {
                        consumed = pos;
                        return Http1ParseStatus.Invalid;
                    }

                    break;
            }
        }
    }

    /// <summary>The peer closed the connection: true when that completes the response (a body read to close).</summary>
    public bool OnEndOfStream()
    {
        if (_state != State.BodyToClose)
        {
            return false;
        }

        _state = State.Done;
        _close = true;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void StartResponse()
    {
        _state = State.StatusLine;
        _sectionBytes = 0;
        _remaining = 0;
        _contentLength = -1;
        _http10 = false;
        _hasTransferEncoding = false;
        _chunked = false;
        _close = false;
        _keepAliveToken = false;
        _lastField = Field.None;
    }

    // Whether a partial line (no LF yet) can still become a valid one within the bounds. A status line must start
    // with "HTTP/1.": a peer that answers anything else (another protocol, a TLS alert) is a protocol error at its
    // first wrong byte, not a reset when it closes or a timeout when it waits.
    private bool FitsLine(ReadOnlySpan<byte> partial) => _state switch
    {
        State.StatusLine => _sectionBytes + partial.Length <= MaxHeaderSectionBytes && CouldStartStatusLine(partial),
        State.ChunkSize => partial.Length <= MaxChunkLineBytes,
        State.ChunkDataEnd => partial.IsEmpty || (partial.Length == 1 && partial[0] == (byte)'\r'),
        _ => _sectionBytes + partial.Length <= MaxHeaderSectionBytes,
    };

    // The start of "HTTP/1.x ..." or of an empty line (CR before its LF).
    private static bool CouldStartStatusLine(ReadOnlySpan<byte> partial)
    {
        var prefix = "HTTP/1."u8;
        var n = Math.Min(partial.Length, prefix.Length);
        return partial[..n].SequenceEqual(prefix[..n]) || partial is [(byte)'\r'];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool CountLine(int length)
    {
        if (_state is State.ChunkSize or State.ChunkDataEnd)
        {
            return length <= MaxChunkLineBytes;
        }

        _sectionBytes += length;
        return _sectionBytes <= MaxHeaderSectionBytes;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool OnLine(ReadOnlySpan<byte> line)
    {
        switch (_state)
        {
            case State.StatusLine:
                if (line.IsEmpty)
                {
                    return true;
                }

                if (!TryParseStatusLine(line))
                {
                    return false;
                }

                _state = State.Header;
                return true;

            case State.Header:
                return line.IsEmpty ? EndOfHeaders() : OnHeaderLine(line);

            case State.ChunkSize:
                if (!TryParseChunkSize(line, out long size))
                {
                    return false;
                }

                if (size == 0)
                {
                    _state = State.Trailer;
                    _sectionBytes = 0;
                }
                else
                {
                    _remaining = size;
                    _state = State.ChunkData;
                }

                return true;

            case State.ChunkDataEnd:
                _state = State.ChunkSize;
                return line.IsEmpty;

            case State.Trailer:
                if (line.IsEmpty)
                {
                    _state = State.Done;
                }

                return true;

            default:
                return false;
        }
    }

    // "HTTP/1.x" SP 3DIGIT [SP reason]; repeated spaces before the code are tolerated.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryParseStatusLine(ReadOnlySpan<byte> line)
    {
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || !char.IsAsciiDigit((char)line[7]) || line[8] != (byte)' ')
        {
            return false;
        }

        int i = 9;
        while (i < line.Length && line[i] == (byte)' ')
        {
            i++;
        }

        if (line.Length - i < 3)
        {
            return false;
        }

        int status = 0;
        for (int end = i + 3; i < end; i++)
        {
            if (!char.IsAsciiDigit((char)line[i]))
            {
                return false;
            }

            status = (status * 10) + (line[i] - '0');
        }

        if (status < 100 || (i < line.Length && line[i] != (byte)' ' && line[i] != (byte)'\t'))
        {
            return false;
        }

        Status = status;
        _http10 = line[7] == (byte)'0';
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool OnHeaderLine(ReadOnlySpan<byte> line)
    {
        if (line[0] is (byte)' ' or (byte)'\t')
        {
            // Obsolete line folding: more value for the previous field.
            return _lastField != Field.None && OnFieldValue(_lastField, line.Trim(" \t"u8));
        }

        int colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            return false;
        }

        var name = line[..colon].TrimEnd(" \t"u8);
        if (name.IsEmpty)
        {
            return false;
        }

        _lastField =
            Ascii.EqualsIgnoreCase(name, "content-length"u8) ? Field.ContentLength :
            Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8) ? Field.TransferEncoding :
            Ascii.EqualsIgnoreCase(name, "connection"u8) ? Field.Connection :
            Field.Other;
        return _lastField == Field.Other || OnFieldValue(_lastField, line[(colon + 1)..].Trim(" \t"u8));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool OnFieldValue(Field field, ReadOnlySpan<byte> value)
    {
        switch (field)
        {
            case Field.ContentLength:
                // RFC 9110 §8.6: a list of identical values may be accepted as that value; anything else is invalid.
                foreach (var range in value.Split((byte)','))
                {
                    var item = value[range].Trim(" \t"u8);
                    if (!TryParseDecimal(item, out long length) || (_contentLength >= 0 && _contentLength != length))
                    {
                        return false;
                    }

                    _contentLength = length;
                }

                return true;

            case Field.TransferEncoding:
                _hasTransferEncoding = true;
                var last = LastListItem(value);
                if (!last.IsEmpty)
                {
                    _chunked = Ascii.EqualsIgnoreCase(last, "chunked"u8);
                }

                return true;

            case Field.Connection:
                foreach (var range in value.Split((byte)','))
                {
                    var token = value[range].Trim(" \t"u8);
                    if (Ascii.EqualsIgnoreCase(token, "close"u8))
                    {
                        _close = true;
                    }
                    else if (Ascii.EqualsIgnoreCase(token, "keep-alive"u8))
                    {
                        _keepAliveToken = true;
                    }
                }

                return true;

            default:
                return true;
        }
    }

    // RFC 9112 §6.3: the framing of a response, in order of precedence.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool EndOfHeaders()
    {
        if (Status < 200)
        {
            if (Status == 101)
            {
                return false;
            }

            int status = Status;
            StartResponse();
            Status = status;
            return true;
        }

        if (_head || Status is 204 or 304)
        {
            _state = State.Done;
        }
        else if (_hasTransferEncoding)
        {
            // Transfer-Encoding overrides Content-Length; a message with both must not be reused (§6.3 item 3).
            _close |= _contentLength >= 0 || !_chunked;
            _state = _chunked ? State.ChunkSize : State.BodyToClose;
        }
        else if (_contentLength > 0)
        {
            _remaining = _contentLength;
            _state = State.Body;
        }
        else
        {
            _state = _contentLength == 0 ? State.Done : State.BodyToClose;
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryParseDecimal(ReadOnlySpan<byte> digits, out long value)
    {
        value = 0;
        if (digits.IsEmpty)
        {
            return false;
        }

        foreach (byte b in digits)
        {
            if (!char.IsAsciiDigit((char)b) || value > (long.MaxValue - 9) / 10)
            {
                return false;
            }

            value = (value * 10) + (b - '0');
        }

        return true;
    }

    // chunk-size [BWS ";" extensions]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryParseChunkSize(ReadOnlySpan<byte> line, out long size)
    {
        size = 0;
        int i = 0;
        for (; i < line.Length && char.IsAsciiHexDigit((char)line[i]); i++)
        {
            if (size > (long.MaxValue >> 4))
            {
                return false;
            }

            size = (size << 4) | (long)HexValue(line[i]);
        }

        if (i == 0)
        {
            return false;
        }

        var rest = line[i..].TrimStart(" \t"u8);
        return rest.IsEmpty || rest[0] == (byte)';';
    }

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;

    private static ReadOnlySpan<byte> LastListItem(ReadOnlySpan<byte> value)
    {
        value = value.TrimEnd(" \t,"u8);
        int comma = value.LastIndexOf((byte)',');
        return value[(comma + 1)..].Trim(" \t"u8);
    }
}
