using System.Text;
using Kukai.Engine.Protocols;

namespace Kukai.Engine.Tests.Protocols;

public sealed class Http1ResponseParserTests
{
    public static TheoryData<string, bool, int, bool> CompleteResponses => new()
    {
        { "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\npong", false, 200, true },
        { "HTTP/1.1 200 OK\r\ncontent-length:4\r\n\r\npong", false, 200, true },
        { "HTTP/1.1 200 OK\nContent-Length: 4\n\npong", false, 200, true },
        { "\r\nHTTP/1.1 404 \r\nContent-Length:  \t3 \t\r\n\r\nabc", false, 404, true },
        { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;a=b;c\r\npong\r\nb \t; x\r\nhello world\r\n0\r\n\r\n", false, 200, true },
        { "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n2\r\nab\r\n000\r\nT1: x\r\nT2: y\r\n\r\n", false, 200, true },
        { "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx", false, 200, true },
        { "HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n", true, 200, true },
        { "HTTP/1.1 204 No Content\r\n\r\n", false, 204, true },
        { "HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n", false, 304, true },
        { "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", false, 200, false },
        { "HTTP/1.1 200 OK\r\nConnection:\r\n  close\r\nContent-Length: 0\r\n\r\n", false, 200, false },
        { "HTTP/1.1 200 OK\r\nContent-Length: 2,2\r\n\r\nab", false, 200, true },
        { "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n", false, 200, false },
        { "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", false, 200, false },
        { "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n", false, 200, true },
        { "HTTP/1.1  500\r\nContent-Length: 0\r\n\r\n", false, 500, true },
    };

    [Theory]
    [MemberData(nameof(CompleteResponses))]
    public void Parse_EverySplitPoint_CompletesWithSameResult(string response, bool head, int status, bool keepAlive)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(response);
        for (int split = 0; split <= bytes.Length; split++)
        {
            var parser = new Http1ResponseParser();
            parser.Reset(head);
            var (result, consumed) = Feed(parser, bytes, [split, bytes.Length - split]);
            Assert.Equal((Http1ParseStatus.Complete, bytes.Length, status, keepAlive), (result, consumed, parser.Status, parser.KeepAlive));
        }

        var byByte = new Http1ResponseParser();
        byByte.Reset(head);
        var (byteResult, byteConsumed) = Feed(byByte, bytes, Enumerable.Repeat(1, bytes.Length));
        Assert.Equal((Http1ParseStatus.Complete, bytes.Length), (byteResult, byteConsumed));
    }

    [Fact]
    public void Parse_BytesAfterResponse_LeftUnconsumed()
    {
        var parser = new Http1ResponseParser();
        parser.Reset(head: false);

        var result = parser.Parse("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nabHTTP/1.1"u8, out int consumed);

        Assert.Equal((Http1ParseStatus.Complete, 40), (result, consumed));
    }

    [Fact]
    public void Parse_NoFraming_CompletesOnlyAtEndOfStream()
    {
        var parser = new Http1ResponseParser();
        parser.Reset(head: false);

        var result = parser.Parse("HTTP/1.1 200 OK\r\n\r\nsome body"u8, out int consumed);
        bool completed = parser.OnEndOfStream();

        Assert.Equal((Http1ParseStatus.NeedMore, 28), (result, consumed));
        Assert.True(completed);
        Assert.False(parser.KeepAlive);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\n")]
    [InlineData("")]
    public void OnEndOfStream_IncompleteFramedResponse_ReturnsFalse(string partial)
    {
        var parser = new Http1ResponseParser();
        parser.Reset(head: false);
        parser.Parse(Encoding.UTF8.GetBytes(partial), out _);

        Assert.False(parser.OnEndOfStream());
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\n0\r\n")]
    public void Parse_IncompleteChunkedBody_NeedsMore(string partial)
    {
        var parser = new Http1ResponseParser();
        parser.Reset(head: false);

        Assert.Equal(Http1ParseStatus.NeedMore, parser.Parse(Encoding.UTF8.GetBytes(partial), out _));
    }

    [Theory]
    [InlineData("garbage\r\n")]
    [InlineData("HTTP/1.1 20 OK\r\n")]
    [InlineData("HTTP/1.1 2000 OK\r\n")]
    [InlineData("HTTP/1.1 099 OK\r\n")]
    [InlineData("HTTP/1.1200 OK\r\n")]
    [InlineData("HTTP/2.0 200 OK\r\n")]
    [InlineData("HTTP/1.x 200 OK\r\n")]
    [InlineData("HTTP/1.1 101 Switching Protocols\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\n: empty name\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\n continuation first\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: \r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n;ext\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1 x\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000000\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab")]
    public void Parse_Malformed_ReturnsInvalid(string response)
    {
        var parser = new Http1ResponseParser();
        parser.Reset(head: false);

        Assert.Equal(Http1ParseStatus.Invalid, parser.Parse(Encoding.UTF8.GetBytes(response), out _));
    }

    [Fact]
    public void Parse_HeaderSectionOverBound_ReturnsInvalid()
    {
        var parser = new Http1ResponseParser();
        parser.Reset(head: false);
        var line = Encoding.ASCII.GetBytes("X-Filler: " + new string('v', 1000) + "\r\n");
        var status = parser.Parse("HTTP/1.1 200 OK\r\n"u8, out _);
        int lines = 0;
        while (status == Http1ParseStatus.NeedMore && lines < 1000)
        {
            status = parser.Parse(line, out _);
            lines++;
        }

        Assert.Equal(Http1ParseStatus.Invalid, status);
        Assert.Equal(Http1ResponseParser.MaxHeaderSectionBytes / line.Length, lines - 1);
    }

    [Fact]
    public void Parse_EndlessLineWithoutNewline_ReturnsInvalidOnceOverBound()
    {
        var parser = new Http1ResponseParser();
        parser.Reset(head: false);
        var within = new byte[Http1ResponseParser.MaxHeaderSectionBytes];
        within.AsSpan().Fill((byte)'a');
        "HTTP/1.1 200 "u8.CopyTo(within); // a status line that never ends (other bytes fail at once)

        var first = parser.Parse(within, out int consumed);
        var over = parser.Parse([.. within, (byte)'a'], out _);

        Assert.Equal((Http1ParseStatus.NeedMore, 0), (first, consumed));
        Assert.Equal(Http1ParseStatus.Invalid, over);
    }

    [Fact]
    public void Reset_AfterResponse_ParsesNextResponse()
    {
        var parser = new Http1ResponseParser();
        parser.Reset(head: false);
        parser.Parse("HTTP/1.1 500 X\r\nContent-Length: 1\r\n\r\nx"u8, out _);

        parser.Reset(head: false);
        var result = parser.Parse("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"u8, out _);

        Assert.Equal((Http1ParseStatus.Complete, 200, true), (result, parser.Status, parser.KeepAlive));
    }

    // Plays the channel's part: keeps unconsumed bytes in front of the next chunk; the end of data is end of stream.
    private static (Http1ParseStatus Result, int Consumed) Feed(Http1ResponseParser parser, byte[] bytes, IEnumerable<int> chunks)
    {
        int total = 0;
        int offset = 0;
        var pending = new List<byte>();
        foreach (int size in chunks)
        {
            pending.AddRange(bytes.AsSpan(offset, size));
            offset += size;
            var result = parser.Parse(pending.ToArray(), out int consumed);
            total += consumed;
            pending.RemoveRange(0, consumed);
            if (result != Http1ParseStatus.NeedMore)
            {
                return (result, total);
            }
        }

        return parser.OnEndOfStream() ? (Http1ParseStatus.Complete, total + pending.Count) : (Http1ParseStatus.NeedMore, total);
    }
}
