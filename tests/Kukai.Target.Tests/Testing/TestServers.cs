using System.Net;

namespace Kukai.Target.Tests.Testing;

/// <summary>Starts real target servers on 127.0.0.1 port 0, and clients for them.</summary>
internal static class TestServers
{
    /// <summary>Options binding HTTP (and, when asked, TCP echo) to free loopback ports.</summary>
    public static TargetOptions LoopbackOptions(bool tcp = false) => new()
    {
        HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
        TcpEndPoint = tcp ? new IPEndPoint(IPAddress.Loopback, 0) : null,
    };

    public static Task<TargetServer> StartAsync(TargetOptions? options = null, TimeProvider? time = null) =>
        TargetServer.StartAsync(options ?? LoopbackOptions(), time ?? TimeProvider.System, loggerFactory: null, CancellationToken.None);

    /// <summary>A client that speaks HTTP/1.1, or HTTP/2 with prior knowledge when <paramref name="version"/> is 2.0.</summary>
    public static HttpClient Client(TargetServer server, Version? version = null) => new(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
    {
        BaseAddress = server.HttpAddress,
        DefaultRequestVersion = version ?? HttpVersion.Version11,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>
    /// Waits until <paramref name="condition"/> holds, re-checking it until <paramref name="deadline"/>
    /// (default 10 s) and failing then. For state the server reaches asynchronously (a closed connection noticed).
    /// </summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? deadline = null)
    {
        var giveUp = DateTime.UtcNow + (deadline ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (DateTime.UtcNow > giveUp)
            {
                throw new TimeoutException($"timed out waiting until {what}");
            }

            await Task.Delay(5);
        }
    }
}
