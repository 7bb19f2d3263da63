using System.Net;
using System.Net.Sockets;
using System.Text;
using Kukai.Target.Tests.Testing;

namespace Kukai.Target.Tests;

public sealed class TargetServerHttpTests
{
    [Fact]
    public async Task StartAsync_PortZero_ResolvesHttpAddress()
    {
        await using var server = await TestServers.StartAsync();

        Assert.Equal("http", server.HttpAddress.Scheme);
        Assert.Equal("127.0.0.1", server.HttpAddress.Host);
        Assert.NotEqual(0, server.HttpAddress.Port);
        Assert.Null(server.TcpEndPoint);
    }

    [Fact]
    public async Task Ping_Get_Returns200PongTextPlainWithoutServerHeader()
    {
        await using var server = await TestServers.StartAsync();
        using var client = TestServers.Client(server);

        using var response = await client.GetAsync("/ping");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("pong", await response.Content.ReadAsStringAsync());
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(4, response.Content.Headers.ContentLength);
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task Ping_Http2PriorKnowledge_Returns200Pong()
    {
        await using var server = await TestServers.StartAsync();
        using var client = TestServers.Client(server, HttpVersion.Version20);

        using var response = await client.GetAsync("/ping");

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("pong", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Ping_RawHttp10Request_AnswersAndCloses()
    {
        await using var server = await TestServers.StartAsync();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, server.HttpAddress.Port);

        await socket.SendAsync("GET /ping HTTP/1.0\r\n\r\n"u8.ToArray());
        var answer = await ReadToEndAsync(socket);

        Assert.StartsWith("HTTP/1.1 200 OK\r\n", answer, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\npong", answer, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(503)]
    [InlineData(201)]
    [InlineData(404)]
    [InlineData(599)]
    public async Task Ping_StatusParameter_AnswersWithThatStatus(int status)
    {
        await using var server = await TestServers.StartAsync();
        using var client = TestServers.Client(server);

        using var response = await client.GetAsync($"/ping?status={status}");

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("pong", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, server.Counters.GetStatusCount(status));
    }

    [Fact]
    public async Task Ping_Status204_AnswersWithoutBody()
    {
        await using var server = await TestServers.StartAsync();
        using var client = TestServers.Client(server);

        using var response = await client.GetAsync("/ping?status=204");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Ping_Head_AnswersHeadersOnly()
    {
        await using var server = await TestServers.StartAsync();
        using var client = TestServers.Client(server);

        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/ping"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(4, response.Content.Headers.ContentLength);
        Assert.Equal(1, server.Counters.ResponsesSent);
    }

    [Theory]
    [InlineData("status=abc", "bad query parameter status=abc: must be an integer from 100 to 599")]
    [InlineData("status=99", "bad query parameter status=99: must be an integer from 100 to 599")]
    [InlineData("status=600", "bad query parameter status=600: must be an integer from 100 to 599")]
    [InlineData("status=", "bad query parameter status=: must be an integer from 100 to 599")]
    [InlineData("delay_ms=-1", "bad query parameter delay_ms=-1: must be a number of milliseconds from 0 to 3600000")]
    [InlineData("delay_ms=soon", "bad query parameter delay_ms=soon: must be a number of milliseconds from 0 to 3600000")]
    [InlineData("delay_ms=3600001", "bad query parameter delay_ms=3600001: must be a number of milliseconds from 0 to 3600000")]
    [InlineData("delay_ms=5&status=1000", "bad query parameter status=1000: must be an integer from 100 to 599")]
    public async Task Ping_BadParameter_Returns400NamingIt(string query, string message)
    {
        await using var server = await TestServers.StartAsync();
        using var client = TestServers.Client(server);

        using var response = await client.GetAsync($"/ping?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(message + "\n", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, server.Counters.RequestsReceived);
        Assert.Equal(1, server.Counters.GetStatusCount(400));
    }

    [Fact]
    public async Task Ping_DelayParameter_AnswersWhenFakeClockReachesDelay()
    {
        var time = new ManualTimeProvider();
        await using var server = await TestServers.StartAsync(time: time);
        using var client = TestServers.Client(server);

        var pending = client.GetAsync("/ping?delay_ms=500&status=503");
        await time.WaitForArmedTimersAsync(1);
        time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(pending.IsCompleted);
        Assert.Equal(1, server.Counters.InFlight);
        Assert.Equal(0, server.Counters.ResponsesSent);

        time.Advance(TimeSpan.FromMilliseconds(1));
        using var response = await pending.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("pong", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, server.Counters.InFlight);
        Assert.Equal(1, server.Counters.ResponsesSent);
    }

    [Fact]
    public async Task Ping_PostWithBody_ReadsAndCountsBody()
    {
        await using var server = await TestServers.StartAsync();
        using var client = TestServers.Client(server);
        var body = new byte[100_000];

        using var first = await client.PostAsync("/ping", new ByteArrayContent(body));
        using var second = await client.PutAsync("/ping", new StringContent("hello"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("pong", await second.Content.ReadAsStringAsync());
        Assert.Equal(100_005, server.Counters.BytesReceived);
        Assert.Equal(2, server.Counters.ResponsesSent);
    }

    [Fact]
    public async Task Ping_Http2PostWithBody_ReadsAndCountsBody()
    {
        await using var server = await TestServers.StartAsync();
        using var client = TestServers.Client(server, HttpVersion.Version20);

        using var response = await client.PostAsync("/ping", new ByteArrayContent(new byte[70_000]));

        Assert.Equal("pong", await response.Content.ReadAsStringAsync());
        Assert.Equal(70_000, server.Counters.BytesReceived);
    }

    [Fact]
    public async Task Ping_ClientGoneMidBody_CountedAsAborted()
    {
        await using var server = await TestServers.StartAsync();
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await socket.ConnectAsync(IPAddress.Loopback, server.HttpAddress.Port);
            await socket.SendAsync("POST /ping HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc"u8.ToArray());
            await TestServers.WaitUntilAsync(() => server.Counters.BytesReceived == 3, "the first body bytes are read");
        }

        await TestServers.WaitUntilAsync(() => server.Counters.RequestsAborted == 1, "the request is aborted");

        Assert.Equal(1, server.Counters.RequestsReceived);
        Assert.Equal(0, server.Counters.ResponsesSent);
        Assert.Equal(0, server.Counters.InFlight);
    }

    [Fact]
    public async Task Root_Get_Returns200Text()
    {
        await using var server = await TestServers.StartAsync();
        using var client = TestServers.Client(server);

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("kukai target", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, server.Counters.RequestsReceived);
    }

    [Fact]
    public async Task UnknownPath_Get_Returns404AndIsCounted()
    {
        await using var server = await TestServers.StartAsync();
        using var client = TestServers.Client(server);

        using var response = await client.GetAsync("/nothing/here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(1, server.Counters.RequestsReceived);
        Assert.Equal(1, server.Counters.ResponsesSent);
        Assert.Equal(1, server.Counters.GetStatusCount(404));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Counters_ConcurrentRequests_ReconcileExactly(int httpVersion)
    {
        const int Requests = 600;
        await using var server = await TestServers.StartAsync();
        using var client = TestServers.Client(server, new Version(httpVersion, httpVersion == 1 ? 1 : 0));
        using var metricsClient = TestServers.Client(server);

        var tasks = new List<Task<HttpStatusCode>>();
        for (var i = 0; i < Requests; i++)
        {
            var path = i % 3 == 0 ? "/ping?status=503" : i % 3 == 1 ? "/ping" : "/missing";
            tasks.Add(SendAsync(client, path));
            if (i % 100 == 0)
            {
                tasks.Add(SendAsync(metricsClient, "/metrics"));
            }
        }

        var statuses = await Task.WhenAll(tasks);
        var snapshot = server.Counters.Snapshot();

        Assert.Equal(Requests + 6, statuses.Length);
        Assert.Equal(Requests, snapshot.RequestsReceived);
        Assert.Equal(Requests, snapshot.ResponsesSent);
        Assert.Equal(0, snapshot.InFlight);
        Assert.Equal(0, snapshot.RequestsAborted);
        Assert.Equal(new Dictionary<int, long> { [200] = 200, [404] = 200, [503] = 200 }, snapshot.StatusCounts);
    }

    private static async Task<HttpStatusCode> SendAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        await response.Content.ReadAsByteArrayAsync();
        return response.StatusCode;
    }

    private static async Task<string> ReadToEndAsync(Socket socket)
    {
        var received = new MemoryStream();
        var buffer = new byte[4096];
        int n;
        while ((n = await socket.ReceiveAsync(buffer.AsMemory()).AsTask().WaitAsync(TimeSpan.FromSeconds(10))) > 0)
        {
            received.Write(buffer, 0, n);
        }

        return Encoding.ASCII.GetString(received.ToArray());
    }
}
