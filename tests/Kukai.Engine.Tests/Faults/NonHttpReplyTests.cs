using Kukai.Engine.Plans;
using Kukai.Engine.Protocols;
using Kukai.Engine.Tests.Protocols;

namespace Kukai.Engine.Tests.Faults;

/// <summary>
/// A peer that answers an HTTP request with something that is not HTTP (another protocol, a TLS alert, garbage) is a
/// <c>protocol</c> error as soon as the first bytes show it, whether it then closes or keeps the connection open.
/// </summary>
public sealed class NonHttpReplyTests
{
    public static TheoryData<byte[]> Replies => new()
    {
        "garbage"u8.ToArray(),
        "SSH-2.0-OpenSSH_9.2"u8.ToArray(),
        new byte[] { 0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x32 }, // a TLS alert: an http:// request to a TLS port
        "HTTP/2 200"u8.ToArray(),
        "\r\r"u8.ToArray(),
    };

    [Theory]
    [MemberData(nameof(Replies))]
    public async Task SendAsync_NonHttpBytesWithoutLineEndThenClose_ReturnsProtocol(byte[] reply)
    {
        await using var server = TestServer.Start(async c =>
        {
            await c.ReadRequestAsync();
            await c.WriteAsync(reply);
            c.Close();
        });
        await using var factory = Create(server.Url());
        await using var channel = factory.CreateChannel();

        var outcome = await channel.SendAsync().Within();

        Assert.Equal(ErrorKind.Protocol, outcome.Error);
        Assert.Equal(reply.Length, outcome.BytesReceived);
    }

    [Theory]
    [MemberData(nameof(Replies))]
    public async Task SendAsync_NonHttpBytesAndConnectionLeftOpen_ReturnsProtocolWithoutWaiting(byte[] reply)
    {
        await using var server = TestServer.Start(async c =>
        {
            await c.ReadRequestAsync();
            await c.WriteAsync(reply);
            await c.HangAsync();
        });
        await using var factory = Create(server.Url());
        await using var channel = factory.CreateChannel();

        var outcome = await channel.SendAsync().Within();

        Assert.Equal(ErrorKind.Protocol, outcome.Error);
    }

    [Theory]
    [InlineData("H")]
    [InlineData("HTTP/1.")]
    [InlineData("\r")]
    [InlineData("\r\nHTTP/1.1 2")]
    public async Task SendAsync_ValidStartThenClose_StillReset(string partial)
    {
        await using var server = TestServer.Start(async c =>
        {
            await c.ReadRequestAsync();
            await c.WriteAsync(partial);
            c.Close();
        });
        await using var factory = Create(server.Url());
        await using var channel = factory.CreateChannel();

        var outcome = await channel.SendAsync().Within();

        Assert.Equal(ErrorKind.Reset, outcome.Error);
    }

    private static IRequestChannelFactory Create(string url) =>
        RequestChannelFactory.Create(new TargetPlan { Url = url }, Templates.Http());
}
