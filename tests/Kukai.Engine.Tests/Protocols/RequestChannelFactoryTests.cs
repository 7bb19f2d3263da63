using Kukai.Engine.Plans;
using Kukai.Engine.Protocols;

namespace Kukai.Engine.Tests.Protocols;

public sealed class RequestChannelFactoryTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8080/ping", "1.1", typeof(Http1Channel))]
    [InlineData("http://localhost/ping", "1.1", typeof(Http1Channel))]
    [InlineData("http://127.0.0.1:8080/ping", "2", typeof(HttpClientChannel))]
    [InlineData("https://127.0.0.1:8443/ping", "1.1", typeof(Http1Channel))]
    [InlineData("https://127.0.0.1:8443/ping", "2", typeof(HttpClientChannel))]
    public async Task Create_HttpTarget_PicksChannelBySchemeAndVersion(string url, string version, Type expected)
    {
        await using var factory = RequestChannelFactory.Create(new TargetPlan { Url = url }, Templates.Http() with { HttpVersion = version });
        await using var channel = factory.CreateChannel();

        Assert.IsType(expected, channel);
    }

    [Fact]
    public async Task Create_TcpTarget_MakesTcpChannel()
    {
        await using var factory = RequestChannelFactory.Create(new TargetPlan { Addr = "127.0.0.1", Port = 9000 }, Templates.Tcp("x"));
        await using var channel = factory.CreateChannel();

        Assert.IsType<TcpChannel>(channel);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("/relative/path")]
    [InlineData("ftp://127.0.0.1/file")]
    [InlineData("http://user:secret@127.0.0.1/")]
    [InlineData("")]
    public void Create_BadUrl_ThrowsArgumentExceptionNamingIt(string url)
    {
        var e = Assert.Throws<ArgumentException>(() => RequestChannelFactory.Create(new TargetPlan { Url = url }, Templates.Http()));

        Assert.Contains("targets.url", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("3")]
    [InlineData("1.0")]
    [InlineData("")]
    public void Create_UnsupportedHttpVersion_Throws(string version)
    {
        var e = Assert.Throws<ArgumentException>(() => RequestChannelFactory.Create(
            new TargetPlan { Url = "http://127.0.0.1/" }, Templates.Http() with { HttpVersion = version }));

        Assert.Contains("http_version", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "X-Bad", "a\r\nInjected: 1")]
    [InlineData("GET", "Bad Name", "v")]
    [InlineData("GET", "Content-Length", "5")]
    [InlineData("GET", "transfer-encoding", "chunked")]
    [InlineData("GE T", "X-Ok", "v")]
    [InlineData("", "X-Ok", "v")]
    public void Create_BadMethodOrHeader_Throws(string method, string name, string value)
    {
        Assert.Throws<ArgumentException>(() => RequestChannelFactory.Create(
            new TargetPlan { Url = "http://127.0.0.1/" }, Templates.Http(method, null, (name, value))));
    }

    [Theory]
    [InlineData(null, 80)]
    [InlineData(" ", 80)]
    [InlineData("127.0.0.1", null)]
    [InlineData("127.0.0.1", 0)]
    [InlineData("127.0.0.1", 65536)]
    public void Create_BadTcpAddress_Throws(string? addr, int? port)
    {
        Assert.Throws<ArgumentException>(() => RequestChannelFactory.Create(new TargetPlan { Addr = addr, Port = port }, Templates.Tcp("x")));
    }

    [Fact]
    public void Create_TcpResponseBytesAndDelimiterTogether_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => RequestChannelFactory.Create(
            new TargetPlan { Addr = "127.0.0.1", Port = 9000 }, Templates.Tcp("x", responseBytes: 0, delimiter: "\n")));

        Assert.Contains("response_bytes: '0'", e.Message, StringComparison.Ordinal);
        Assert.Contains("set one of them", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_SeveralProblems_NamesEveryOne()
    {
        var e = Assert.Throws<ArgumentException>(() => RequestChannelFactory.Create(
            new TargetPlan { Url = "gopher://x/" }, Templates.Http("BAD METHOD") with { HttpVersion = "9" }));

        Assert.Contains("targets.url: 'gopher://x/'", e.Message, StringComparison.Ordinal);
        Assert.Contains("http_version: '9'", e.Message, StringComparison.Ordinal);
        Assert.Contains("method: 'BAD METHOD'", e.Message, StringComparison.Ordinal);
    }
}
