using Kukai.Engine.Plans;
using Kukai.Engine.Protocols;

namespace Kukai.Engine.Tests.Protocols;

public sealed class TcpChannelTests
{
    [Fact]
    public async Task SendAsync_DefaultCompletion_CompletesAtFirstChunk()
    {
        await using var server = TestServer.Start(Echo("ping\n".Length));
        await using var factory = Create(server, Templates.Tcp("ping\n"));
        await using var channel = factory.CreateChannel();

        var outcomes = new List<RequestOutcome>();
        for (int i = 0; i < 3; i++)
        {
            outcomes.Add(await channel.SendAsync().Within());
        }

        Assert.All(outcomes, o => Assert.Equal(new RequestOutcome(ErrorKind.None, 0, 5, 5), o));
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task SendAsync_ResponseBytes_WaitsForThatManyBytesAcrossChunks()
    {
        await using var server = TestServer.Start(async c =>
        {
            while (await c.ReadExactAsync(4) is not null)
            {
                await c.WriteByteByByteAsync("0123456789");
            }
        });
        await using var factory = Create(server, Templates.Tcp("ping", responseBytes: 10));
        await using var channel = factory.CreateChannel();

        var first = await channel.SendAsync().Within();
        var second = await channel.SendAsync().Within();

        Assert.Equal(new RequestOutcome(ErrorKind.None, 0, 4, 10), first);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task SendAsync_DelimiterSplitAcrossChunks_CompletesAtDelimiter()
    {
        const string reply = "line one\r\nline two\r\n\r\n";
        await using var server = TestServer.Start(async c =>
        {
            while (await c.ReadExactAsync(4) is not null)
            {
                await c.WriteByteByByteAsync(reply);
            }
        });
        await using var factory = Create(server, Templates.Tcp("ping", delimiter: "\r\n\r\n"));
        await using var channel = factory.CreateChannel();

        var first = await channel.SendAsync().Within();
        var second = await channel.SendAsync().Within();

        Assert.Equal(new RequestOutcome(ErrorKind.None, 0, 4, reply.Length), first);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task SendAsync_KeepAliveFalse_UsesOneConnectionPerRequest()
    {
        var closedByClient = 0;
        await using var server = TestServer.Start(async c =>
        {
            await c.ReadExactAsync(4);
            await c.WriteAsync("pong");
            await c.ReadToEndAsync();
            Interlocked.Increment(ref closedByClient);
        });
        await using var factory = Create(server, Templates.Tcp("ping", keepAlive: false));
        await using var channel = factory.CreateChannel();

        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(new RequestOutcome(ErrorKind.None, 0, 4, 4), await channel.SendAsync().Within());
        }

        Assert.Equal(4, server.Connections);
    }

    [Fact]
    public async Task SendAsync_RefusedPort_ReturnsConnect()
    {
        await using var factory = RequestChannelFactory.Create(
            new TargetPlan { Addr = "127.0.0.1", Port = TestServer.RefusedPort() }, Templates.Tcp("ping"));
        await using var channel = factory.CreateChannel();

        var outcome = await channel.SendAsync().Within();

        Assert.Equal(RequestOutcome.Failed(ErrorKind.Connect), outcome);
    }

    [Fact]
    public async Task SendAsync_ServerResets_ReturnsResetThenReconnects()
    {
        await using var server = TestServer.Start(async c =>
        {
            if (c.Index == 1)
            {
                await c.ReadExactAsync(4);
                c.Reset();
                return;
            }

            await Echo(4)(c);
        });
        await using var factory = Create(server, Templates.Tcp("ping"));
        await using var channel = factory.CreateChannel();

        var reset = await channel.SendAsync().Within();
        var next = await channel.SendAsync().Within();

        Assert.Equal(ErrorKind.Reset, reset.Error);
        Assert.Equal(new RequestOutcome(ErrorKind.None, 0, 4, 4), next);
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public async Task SendAsync_ServerClosesBeforeResponseBytes_ReturnsResetWithBytesSoFar()
    {
        await using var server = TestServer.Start(async c =>
        {
            await c.ReadExactAsync(4);
            await c.WriteAsync("abc");
            c.Close();
        });
        await using var factory = Create(server, Templates.Tcp("ping", responseBytes: 10));
        await using var channel = factory.CreateChannel();

        var outcome = await channel.SendAsync().Within();

        Assert.Equal(RequestOutcome.Failed(ErrorKind.Reset, 4, 3), outcome);
    }

    [Fact]
    public async Task TryAbort_SilentServer_ReturnsTimeoutAndNextSendUsesNewConnection()
    {
        var firstPayloadSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = TestServer.Start(async c =>
        {
            if (c.Index == 1)
            {
                await c.ReadExactAsync(4);
                firstPayloadSeen.SetResult();
                await c.HangAsync();
            }

            await Echo(4)(c);
        });
        await using var factory = Create(server, Templates.Tcp("ping"));
        await using var channel = factory.CreateChannel();

        var pending = channel.SendAsync();
        await firstPayloadSeen.Task.Within();
        bool aborted = channel.TryAbort(channel.Generation);
        var timedOut = await pending.Within();
        var next = await channel.SendAsync().Within();

        Assert.True(aborted);
        Assert.Equal(RequestOutcome.Failed(ErrorKind.Timeout, 4, 0), timedOut);
        Assert.Equal(new RequestOutcome(ErrorKind.None, 0, 4, 4), next);
        Assert.Equal(2, server.Connections);
    }

    private static Func<ServerConnection, Task> Echo(int payloadLength) => async c =>
    {
        while (await c.ReadExactAsync(payloadLength) is { } payload)
        {
            await c.WriteAsync(payload);
        }
    };

    private static IRequestChannelFactory Create(TestServer server, RequestTemplate template) =>
        RequestChannelFactory.Create(new TargetPlan { Addr = "127.0.0.1", Port = server.Port }, template);
}
