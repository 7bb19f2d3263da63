using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Kukai.Engine.Plans;
using Kukai.Engine.Protocols;

namespace Kukai.Engine.Tests.Protocols;

public sealed class HttpClientChannelTests
{
    private const string Pong = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\npong";

    [Fact]
    public async Task SendAsync_Http2OverTls_ReturnsStatusAndBody()
    {
        await using var server = TestServer.StartTls(c => Http2TestResponder.ServeAsync(c, 200, "pong"), SslApplicationProtocol.Http2);
        await using var factory = Create(server.Url(), Templates.Http() with { HttpVersion = "2", Insecure = true });
        await using var channel = factory.CreateChannel();

        var outcomes = new List<RequestOutcome>();
        for (int i = 0; i < 3; i++)
        {
            outcomes.Add(await channel.SendAsync().Within());
        }

        Assert.All(outcomes, o => Assert.Equal((ErrorKind.None, 200), (o.Error, o.Status)));
        Assert.All(outcomes, o => Assert.True(o.BytesReceived >= 4));
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task SendAsync_Http2PriorKnowledgeCleartext_ReturnsServerError()
    {
        await using var server = TestServer.Start(c => Http2TestResponder.ServeAsync(c, 503, ""));
        await using var factory = Create(server.Url(), Templates.Http() with { HttpVersion = "2" });
        await using var channel = factory.CreateChannel();

        var outcome = await channel.SendAsync().Within();

        Assert.IsType<HttpClientChannel>(channel);
        Assert.Equal((ErrorKind.Http5xx, 503), (outcome.Error, outcome.Status));
    }

    [Fact]
    public async Task TryAbort_SilentServer_ReturnsTimeoutAndNextSendSucceeds()
    {
        var firstRequestSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int requests = 0;
        await using var server = TestServer.Start(c => Http2TestResponder.ServeAsync(c, 200, "pong", () =>
        {
            if (Interlocked.Increment(ref requests) > 1)
            {
                return true;
            }

            firstRequestSeen.SetResult();
            return false;
        }));
        await using var factory = Create(server.Url(), Templates.Http() with { HttpVersion = "2" });
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
    }

    [Fact]
    public async Task SendAsync_TemplateTimeoutElapses_ReturnsTimeout()
    {
        await using var server = TestServer.Start(c => Http2TestResponder.ServeAsync(c, 200, "pong", () => false));
        await using var factory = Create(server.Url(), Templates.Http() with { HttpVersion = "2", TimeoutMs = 50 });
        await using var channel = factory.CreateChannel();

        var outcome = await channel.SendAsync().Within();

        Assert.Equal(ErrorKind.Timeout, outcome.Error);
    }

    [Theory]
    [InlineData(HttpRequestError.ConnectionError, ErrorKind.Connect)]
    [InlineData(HttpRequestError.NameResolutionError, ErrorKind.Connect)]
    [InlineData(HttpRequestError.SecureConnectionError, ErrorKind.Connect)]
    [InlineData(HttpRequestError.ResponseEnded, ErrorKind.Reset)]
    [InlineData(HttpRequestError.InvalidResponse, ErrorKind.Protocol)]
    [InlineData(HttpRequestError.HttpProtocolError, ErrorKind.Protocol)]
    [InlineData(HttpRequestError.ConfigurationLimitExceeded, ErrorKind.Protocol)]
    public void Classify_HttpRequestError_MapsToKind(HttpRequestError error, ErrorKind expected)
    {
        Assert.Equal(expected, HttpClientChannel.Classify(new HttpRequestException(error, "x")));
        Assert.Equal(expected, HttpClientChannel.Classify(new HttpIOException(error, "x")));
    }

    [Theory]
    [InlineData(SocketError.ConnectionRefused, ErrorKind.Connect)]
    [InlineData(SocketError.HostUnreachable, ErrorKind.Connect)]
    [InlineData(SocketError.ConnectionReset, ErrorKind.Reset)]
    [InlineData(SocketError.Shutdown, ErrorKind.Reset)]
    public void Classify_UnknownErrorWithSocketCause_MapsBySocketError(SocketError socketError, ErrorKind expected)
    {
        var cause = new IOException("io", new SocketException((int)socketError));

        Assert.Equal(expected, HttpClientChannel.Classify(new HttpRequestException(HttpRequestError.Unknown, "x", cause)));
    }

    private static IRequestChannelFactory Create(string url, RequestTemplate? template = null) =>
        RequestChannelFactory.Create(new TargetPlan { Url = url }, template ?? Templates.Http());
}
