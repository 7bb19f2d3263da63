using System.Text;
using Kukai.Engine.Plans;
using Kukai.Engine.Protocols;

namespace Kukai.Engine.Tests.Protocols;

/// <summary><c>https://</c> over HTTP/1.1: our own client over TLS, each request sent exactly once.</summary>
public sealed class Http1ChannelTlsTests
{
    private const string Pong = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\npong";

    [Fact]
    public async Task SendAsync_HttpsSelfSignedInsecure_ReturnsOkWithExactRequestBytes()
    {
        byte[]? seen = null;
        await using var server = TestServer.StartTls(async c =>
        {
            while (await c.ReadRequestAsync() is { } request)
            {
                seen = request;
                await c.WriteAsync(Pong);
            }
        });
        var template = Templates.Http("POST", "body", ("X-Test", "1")) with { Insecure = true };
        await using var factory = Create(server.Url("/ping?q=1"), template);
        await using var channel = factory.CreateChannel();

        var first = await channel.SendAsync().Within();
        var second = await channel.SendAsync().Within();

        Assert.IsType<Http1Channel>(channel);
        Assert.Equal((ErrorKind.None, 200), (first.Error, first.Status));
        Assert.Equal(
            $"POST /ping?q=1 HTTP/1.1\r\nHost: 127.0.0.1:{server.Port}\r\nX-Test: 1\r\nContent-Length: 4\r\n\r\nbody",
            Encoding.UTF8.GetString(seen!));
        Assert.Equal(seen!.Length, first.BytesSent);
        Assert.Equal(Pong.Length, first.BytesReceived);
        Assert.Equal(first, second);
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task SendAsync_HttpsSelfSignedWithoutInsecure_ReturnsConnect()
    {
        await using var server = TestServer.StartTls(Http1ChannelTests.RespondAlways(Pong));
        await using var factory = Create(server.Url());
        await using var channel = factory.CreateChannel();

        var outcome = await channel.SendAsync().Within();

        Assert.Equal(RequestOutcome.Failed(ErrorKind.Connect), outcome);
    }

    [Fact]
    public async Task SendAsync_HttpsRefusedPort_ReturnsConnect()
    {
        await using var factory = Create($"https://127.0.0.1:{TestServer.RefusedPort()}/", Templates.Http() with { Insecure = true });
        await using var channel = factory.CreateChannel();

        var outcome = await channel.SendAsync().Within();

        Assert.Equal(RequestOutcome.Failed(ErrorKind.Connect), outcome);
    }

    [Fact]
    public async Task SendAsync_HttpsResetMidBody_ReturnsReset()
    {
        await using var server = TestServer.StartTls(async c =>
        {
            await c.ReadRequestAsync();
            await c.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial");
            c.Reset();
        });
        await using var factory = Create(server.Url(), Templates.Http() with { Insecure = true });
        await using var channel = factory.CreateChannel();

        var outcome = await channel.SendAsync().Within();

        Assert.Equal(ErrorKind.Reset, outcome.Error);
    }

    [Fact]
    public async Task SendAsync_HttpsGarbageReply_ReturnsProtocol()
    {
        await using var server = TestServer.StartTls(async c =>
        {
            await c.ReadRequestAsync();
            await c.WriteAsync("garbage\r\n\r\n");
            await c.ReadToEndAsync();
        });
        await using var factory = Create(server.Url(), Templates.Http() with { Insecure = true });
        await using var channel = factory.CreateChannel();

        var outcome = await channel.SendAsync().Within();

        Assert.Equal(ErrorKind.Protocol, outcome.Error);
    }

    [Fact]
    public async Task SendAsync_HttpsServerClosesAReusedConnectionWithoutAnswering_ResetAndSentOnce()
    {
        // The first request on a connection is answered; the second is read and the connection closed. .NET's HTTP
        // client sends such a request again, up to three times, on new connections: the target would count four.
        int requests = 0;
        await using var server = TestServer.StartTls(async c =>
        {
            if (await c.ReadRequestAsync() is null)
            {
                return;
            }

            Interlocked.Increment(ref requests);
            await c.WriteAsync(Pong);
            if (await c.ReadRequestAsync() is not null)
            {
                Interlocked.Increment(ref requests);
            }
        });
        await using var factory = Create(server.Url(), Templates.Http() with { Insecure = true });
        await using var channel = factory.CreateChannel();

        var first = await channel.SendAsync().Within();
        var second = await channel.SendAsync().Within();
        var third = await channel.SendAsync().Within();

        Assert.Equal(ErrorKind.None, first.Error);
        Assert.Equal(ErrorKind.Reset, second.Error);
        Assert.Equal(ErrorKind.None, third.Error);
        Assert.Equal(3, Volatile.Read(ref requests));
        Assert.Equal(2, server.Connections);
    }

    private static IRequestChannelFactory Create(string url, RequestTemplate? template = null) =>
        RequestChannelFactory.Create(new TargetPlan { Url = url }, template ?? Templates.Http());
}
