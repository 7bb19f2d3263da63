using System.Buffers;
using System.Text;
using Kukai.Target.Http;
using HttpProtocol = Kukai.Target.Http.H2cPriorKnowledge.HttpProtocol;

namespace Kukai.Target.Tests.Http;

public sealed class H2cPriorKnowledgeTests
{
    private const string Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

    [Theory]
    [InlineData("", false, nameof(HttpProtocol.Undecided))]
    [InlineData("", true, nameof(HttpProtocol.Http1))]
    [InlineData("G", false, nameof(HttpProtocol.Http1))]
    [InlineData("GET / HTTP/1.1\r\n", false, nameof(HttpProtocol.Http1))]
    [InlineData("P", false, nameof(HttpProtocol.Undecided))]
    [InlineData("POST /ping HTTP/1.1\r\n", false, nameof(HttpProtocol.Http1))]
    [InlineData("PRI * HTTP/2.0\r\n", false, nameof(HttpProtocol.Undecided))]
    [InlineData("PRI * HTTP/2.0\r\n", true, nameof(HttpProtocol.Http1))]
    [InlineData(Preface, false, nameof(HttpProtocol.Http2))]
    [InlineData(Preface + "\0\0\x12\x04", false, nameof(HttpProtocol.Http2))]
    public void Classify_FirstBytes_DecidesProtocol(string input, bool ended, string expected)
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(input));

        Assert.Equal(Enum.Parse<HttpProtocol>(expected), H2cPriorKnowledge.Classify(buffer, ended));
    }

    [Fact]
    public void Classify_PrefaceSplitAcrossSegments_ReturnsHttp2()
    {
        var bytes = Encoding.ASCII.GetBytes(Preface);
        var first = new Segment(bytes.AsMemory(0, 5));
        var last = first.Append(bytes.AsMemory(5));

        Assert.Equal(HttpProtocol.Http2, H2cPriorKnowledge.Classify(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length), false));
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
