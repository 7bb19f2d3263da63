using System.Text;
using Kukai.Engine.Plans;
using Kukai.Engine.Protocols;

namespace Kukai.Engine.Tests.Protocols;

public sealed class Http1ChannelTests
{
    private const string Pong = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\npong";

    [Fact]
    public async Task SendAsync_ContentLengthBody_ReturnsStatusAndExactByteCounts()
    {
        await using var server = TestServer.Start(RespondAlways(Pong));
        await using var factory = Create(server.Url("/ping"));
        await using var channel = factory.CreateChannel();

        var outcome = await channel.SendAsync().Within();

        Assert.Equal(new RequestOutcome(ErrorKind.None, 200, RequestBytes(server, "/ping").Length, Pong.Length), outcome);
    }

    [Fact]
    public async Task SendAsync_ChunkedWithExtensionsAndTrailers_CountsWholeResponse()
    {
        const string response = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
            "4;name=value\r\npong\r\nA ; x=\"y\"\r\n0123456789\r\n0\r\nX-Trailer: 1\r\nY-Trailer: 2\r\n\r\n";
        await using var server = TestServer.Start(RespondAlways(response));
        await using var factory = Create(server.Url());
        await using var channel = factory.CreateChannel();

        var first = await channel.SendAsync().Within();
        var second = await channel.SendAsync().Within();

        Assert.Equal((ErrorKind.None, 200, (long)response.Length), (first.Error, first.Status, first.BytesReceived));
        Assert.Equal(first, second);
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task SendAsync_ChunkedReplyOneByteAtATime_Completes()
    {
        const string response = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;e=1\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nT: v\r\n\r\n";
        await using var server = TestServer.Start(async c =>
        {
            while (await c.ReadRequestAsync() is not null)
            {
                await c.WriteByteByByteAsync(response);
            }
        });
        await using var factory = Create(server.Url());
        await using var channel = factory.CreateChannel();

        var first = await channel.SendAsync().Within();
        var second = await channel.SendAsync().Within();

        Assert.Equal((ErrorKind.None, 200, (long)response.Length), (first.Error, first.Status, first.BytesReceived));
        Assert.Equal((ErrorKind.None, 200, (long)response.Length), (second.Error, second.Status, second.BytesReceived));
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task SendAsync_NoContentLengthOrChunked_ReadsBodyUntilClose()
    {
        const string response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nbody until the end";
        await using var server = TestServer.Start(async c =>
        {
            await c.ReadRequestAsync();
            await c.WriteAsync(response);
            c.Close();
        });
        await using var factory = Create(server.Url());
        await using var channel = factory.CreateChannel();

        var first = await channel.SendAsync().Within();
        var second = await channel.SendAsync().Within();

        Assert.Equal((ErrorKind.None, 200, (long)response.Length), (first.Error, first.Status, first.BytesReceived));
        Assert.Equal(first, second);
        Assert.Equal(2, server.Connections);
    }

    [Theory]
    [InlineData("HEAD", "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")]
    [InlineData("GET", "HTTP/1.1 204 No Content\r\nContent-Length: 1000\r\n\r\n")]
    [InlineData("GET", "HTTP/1.1 304 Not Modified\r\nContent-Length: 1000\r\nTransfer-Encoding: chunked\r\n\r\n")]
    public async Task SendAsync_ResponseWithoutBody_CompletesAtEndOfHeadersAndKeepsConnection(string method, string response)
    {
        await using var server = TestServer.Start(RespondAlways(response));
        await using var factory = Create(server.Url(), Templates.Http(method));
        await using var channel = factory.CreateChannel();

        var first = await channel.SendAsync().Within();
        var second = await channel.SendAsync().Within();

        Assert.Equal(ErrorKind.None, first.Error);
        Assert.Equal(response.Length, first.BytesReceived);
        Assert.Equal(first, second);
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task SendAsync_InterimContinue_SkipsToFinalResponse()
    {
        const string response = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\nX: y\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok";
        await using var server = TestServer.Start(RespondAlways(response));
        await using var factory = Create(server.Url(), Templates.Http("POST", "data"));
        await using var channel = factory.CreateChannel();

        var outcome = await channel.SendAsync().Within();

        Assert.Equal((ErrorKind.None, 201, (long)response.Length), (outcome.Error, outcome.Status, outcome.BytesReceived));
    }

    [Fact]
    public async Task SendAsync_ManyRequests_ReuseOneKeepAliveConnection()
    {
        int requests = 0;
        await using var server = TestServer.Start(async c =>
        {
            while (await c.ReadRequestAsync() is not null)
            {
                Interlocked.Increment(ref requests);
                await c.WriteAsync(Pong);
            }
        });
        await using var factory = Create(server.Url());
        await using var channel = factory.CreateChannel();

        for (int i = 0; i < 50; i++)
        {
            Assert.Equal(ErrorKind.None, (await channel.SendAsync().Within()).Error);
        }

        Assert.Equal(1, server.Connections);
        Assert.Equal(50, Volatile.Read(ref requests));
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: Upgrade, CLOSE\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok")]
    public async Task SendAsync_ServerEndsConnection_ReconnectsWithoutError(string response)
    {
        // The server keeps its side open: the channel must close and reconnect on its own.
        await using var server = TestServer.Start(async c =>
        {
            await c.ReadRequestAsync();
            await c.WriteAsync(response);
            await c.ReadToEndAsync();
        });
        await using var factory = Create(server.Url());
        await using var channel = factory.CreateChannel();

        for (int i = 0; i < 3; i++)
        {
            var outcome = await channel.SendAsync().Within();
            Assert.Equal((ErrorKind.None, 200, (long)response.Length), (outcome.Error, outcome.Status, outcome.BytesReceived));
        }

        Assert.Equal(3, server.Connections);
    }

    [Fact]
    public async Task SendAsync_Http10WithKeepAlive_ReusesConnection()
    {
        await using var server = TestServer.Start(RespondAlways("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok"));
        await using var factory = Create(server.Url());
        await using var channel = factory.CreateChannel();

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(ErrorKind.None, (await channel.SendAsync().Within()).Error);
        }

        Assert.Equal(1, server.Connections);
    }

    [Theory]
    [InlineData(302, ErrorKind.None)]
    [InlineData(400, ErrorKind.Http4xx)]
    [InlineData(404, ErrorKind.Http4xx)]
    [InlineData(500, ErrorKind.Http5xx)]
    [InlineData(503, ErrorKind.Http5xx)]
    public async Task SendAsync_Status_MapsToErrorKind(int status, ErrorKind expected)
    {
        await using var server = TestServer.Start(RespondAlways($"HTTP/1.1 {status} Whatever\r\nContent-Length: 3\r\n\r\nabc"));
        await using var factory = Create(server.Url());
        await using var channel = factory.CreateChannel();

        var first = await channel.SendAsync().Within();
        var second = await channel.SendAsync().Within();

        Assert.Equal((expected, status), (first.Error, first.Status));
        Assert.Equal(first, second);
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task SendAsync_RefusedPort_ReturnsConnect()
    {
        await using var factory = Create($"http://127.0.0.1:{TestServer.RefusedPort()}/");
        await using var channel = factory.CreateChannel();

        var outcome = await channel.SendAsync().Within();

        Assert.Equal(RequestOutcome.Failed(ErrorKind.Connect), outcome);
    }

    [Fact]
    public async Task SendAsync_UnresolvableHost_ReturnsConnect()
    {
        await using var factory = Create("http://no-such-host.invalid/");
        await using var channel = factory.CreateChannel();

        var outcome = await channel.SendAsync().Within();

        Assert.Equal(ErrorKind.Connect, outcome.Error);
    }

    [Fact]
    public async Task SendAsync_ResetMidResponse_ReturnsResetThenReconnects()
    {
        await using var server = TestServer.Start(async c =>
        {
            await c.ReadRequestAsync();
            if (c.Index == 1)
            {
                await c.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial");
                c.Reset();
                return;
            }

            await c.WriteAsync(Pong);
        });
        await using var factory = Create(server.Url());
        await using var channel = factory.CreateChannel();

        var reset = await channel.SendAsync().Within();
        var next = await channel.SendAsync().Within();

        Assert.Equal(ErrorKind.Reset, reset.Error);
        Assert.Equal(ErrorKind.None, next.Error);
        Assert.Equal(2, server.Connections);
    }

    [Theory]
    [InlineData("")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Len")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab")]
    public async Task SendAsync_ServerClosesBeforeResponseIsComplete_ReturnsReset(string partial)
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
        Assert.Equal(partial.Length, outcome.BytesReceived);
    }

    [Theory]
    [InlineData("garbage\r\n\r\n")]
    [InlineData("HTTP/1.1 OK 200\r\n\r\n")]
    [InlineData("HTTP/2 200\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 2, 3\r\n\r\nabc")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX\r\n0\r\n\r\n")]
    public async Task SendAsync_MalformedReply_ReturnsProtocolAndReconnects(string reply)
    {
        await using var server = TestServer.Start(async c =>
        {
            await c.ReadRequestAsync();
            await c.WriteAsync(c.Index == 1 ? reply : Pong);
            await c.ReadToEndAsync();
        });
        await using var factory = Create(server.Url());
        await using var channel = factory.CreateChannel();

        var bad = await channel.SendAsync().Within();
        var next = await channel.SendAsync().Within();

        Assert.Equal(ErrorKind.Protocol, bad.Error);
        Assert.Equal(ErrorKind.None, next.Error);
        Assert.Equal(2, server.Connections);
    }

    [Theory]
    [InlineData(2_000, 40)] // 2,000 ordinary fields: the header section passes its 64 KiB bound
    [InlineData(1, 20_000)] // one field longer than the receive buffer
    public async Task SendAsync_OversizedHeaders_ReturnsProtocol(int fields, int valueLength)
    {
        var response = new StringBuilder("HTTP/1.1 200 OK\r\n");
        for (int i = 0; i < fields; i++)
        {
            response.Append("X-Field-").Append(i).Append(": ").Append('v', valueLength).Append("\r\n");
        }

        response.Append("Content-Length: 0\r\n\r\n");
        await using var server = TestServer.Start(async c =>
        {
            await c.ReadRequestAsync();
            await c.WriteAsync(response.ToString());
            await c.ReadToEndAsync();
        });
        await using var factory = Create(server.Url());
        await using var channel = factory.CreateChannel();

        var outcome = await channel.SendAsync().Within();

        Assert.Equal(ErrorKind.Protocol, outcome.Error);
    }

    [Fact]
    public async Task TryAbort_TricklingServer_ReturnsTimeoutAndNextSendUsesNewConnection()
    {
        var firstRequestSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = TestServer.Start(async c =>
        {
            await c.ReadRequestAsync();
            if (c.Index == 1)
            {
                await c.WriteAsync("HTTP/1.1 200 OK\r\nContent-Len");
                firstRequestSeen.SetResult();
                await c.HangAsync();
            }

            await c.WriteAsync(Pong);
        });
        await using var factory = Create(server.Url());
        await using var channel = factory.CreateChannel();

        var pending = channel.SendAsync();
        long generation = channel.Generation;
        await firstRequestSeen.Task.Within();
        bool aborted = channel.TryAbort(generation);
        var timedOut = await pending.Within();
        var next = await channel.SendAsync().Within();

        Assert.True(aborted);
        Assert.Equal(ErrorKind.Timeout, timedOut.Error);
        Assert.False(channel.TryAbort(generation));
        Assert.Equal((ErrorKind.None, 200), (next.Error, next.Status));
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public async Task TryAbort_StaleGeneration_DoesNotAffectCurrentSend()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondRequestSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = TestServer.Start(async c =>
        {
            await c.ReadRequestAsync();
            await c.WriteAsync(Pong);
            await c.ReadRequestAsync();
            secondRequestSeen.SetResult();
            await release.Task.WaitAsync(c.Stopping);
            await c.WriteAsync(Pong);
        });
        await using var factory = Create(server.Url());
        await using var channel = factory.CreateChannel();

        await channel.SendAsync().Within();
        long first = channel.Generation;
        var pending = channel.SendAsync();
        long second = channel.Generation;
        await secondRequestSeen.Task.Within();
        bool staleAborted = channel.TryAbort(first);
        bool zeroAborted = channel.TryAbort(0);
        bool futureAborted = channel.TryAbort(second + 1);
        release.SetResult();
        var outcome = await pending.Within();

        Assert.Equal((1L, 2L), (first, second));
        Assert.False(staleAborted);
        Assert.False(zeroAborted);
        Assert.False(futureAborted);
        Assert.Equal(ErrorKind.None, outcome.Error);
        Assert.False(channel.TryAbort(second));
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task SendAsync_PostWithQueryHeadersAndBody_ServerSeesExactEncodedRequest()
    {
        byte[]? seen = null;
        await using var server = TestServer.Start(async c =>
        {
            seen = await c.ReadRequestAsync();
            await c.WriteAsync(Pong);
        });
        var template = Templates.Http("POST", "{\"ü\":1}", ("Content-Type", "application/json"), ("X-Test", "a b"));
        await using var factory = Create(server.Url("/submit/it?x=1&y=%20"), template);
        await using var channel = factory.CreateChannel();

        var outcome = await channel.SendAsync().Within();

        string expected = $"POST /submit/it?x=1&y=%20 HTTP/1.1\r\nHost: 127.0.0.1:{server.Port}\r\nContent-Type: application/json\r\n" +
            "X-Test: a b\r\nContent-Length: 8\r\n\r\n{\"ü\":1}";
        Assert.Equal(expected, Encoding.UTF8.GetString(seen!));
        Assert.Equal(Encoding.UTF8.GetByteCount(expected), outcome.BytesSent);
    }

    [Theory]
    [InlineData("GET", "GET / HTTP/1.1\r\nHost: example.test\r\n\r\n")]
    [InlineData("DELETE", "DELETE / HTTP/1.1\r\nHost: example.test\r\n\r\n")]
    [InlineData("PUT", "PUT / HTTP/1.1\r\nHost: example.test\r\nContent-Length: 0\r\n\r\n")]
    public async Task SendAsync_TemplateHostAndNoBody_ServerSeesExactEncodedRequest(string method, string expected)
    {
        byte[]? seen = null;
        await using var server = TestServer.Start(async c =>
        {
            seen = await c.ReadRequestAsync();
            await c.WriteAsync(Pong);
        });
        await using var factory = Create(server.Url(), Templates.Http(method, null, ("host", "example.test")));
        await using var channel = factory.CreateChannel();

        var outcome = await channel.SendAsync().Within();

        Assert.Equal(expected.Replace("Host:", "host:", StringComparison.Ordinal), Encoding.UTF8.GetString(seen!));
        Assert.Equal(expected.Length, outcome.BytesSent);
    }

    [Fact]
    public async Task SendAsync_BytesAfterResponse_CountedAndConnectionReplaced()
    {
        const string reply = Pong + "junk";
        await using var server = TestServer.Start(async c =>
        {
            await c.ReadRequestAsync();
            await c.WriteAsync(reply);
            await c.ReadToEndAsync();
        });
        await using var factory = Create(server.Url());
        await using var channel = factory.CreateChannel();

        var first = await channel.SendAsync().Within();
        await channel.SendAsync().Within();

        Assert.Equal((ErrorKind.None, (long)reply.Length), (first.Error, first.BytesReceived));
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public async Task Generation_EachSend_IncrementsByOne()
    {
        await using var server = TestServer.Start(RespondAlways(Pong));
        await using var factory = Create(server.Url());
        await using var channel = factory.CreateChannel();

        long before = channel.Generation;
        await channel.SendAsync().Within();
        await channel.SendAsync().Within();

        Assert.Equal((0L, 2L), (before, channel.Generation));
    }

    internal static Func<ServerConnection, Task> RespondAlways(string response) => async c =>
    {
        while (await c.ReadRequestAsync() is not null)
        {
            await c.WriteAsync(response);
        }
    };

    private static IRequestChannelFactory Create(string url, RequestTemplate? template = null) =>
        RequestChannelFactory.Create(new TargetPlan { Url = url }, template ?? Templates.Http());

    private static string RequestBytes(TestServer server, string path) => $"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{server.Port}\r\n\r\n";
}
