using System.Net;
using System.Net.Sockets;
using Kukai.Target.Tests.Testing;

namespace Kukai.Target.Tests;

public sealed class TargetServerStopTests
{
    [Fact]
    public async Task StopAsync_IdleConnectionsOpen_Completes()
    {
        var server = await TestServers.StartAsync(TestServers.LoopbackOptions(tcp: true));
        using var http1 = TestServers.Client(server);
        using var http2 = TestServers.Client(server, HttpVersion.Version20);
        (await http1.GetAsync("/ping")).Dispose();
        (await http2.GetAsync("/ping")).Dispose();
        using var echo = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await echo.ConnectAsync(server.TcpEndPoint!);
        await TestServers.WaitUntilAsync(() => server.Counters.Snapshot().Tcp!.ConnectionsOpen == 1, "the echo connection is accepted");

        await server.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, server.Counters.Snapshot().Tcp!.ConnectionsOpen);
        Assert.Equal(0, await echo.ReceiveAsync(new byte[1].AsMemory()).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => http1.GetAsync("/ping"));
        await server.DisposeAsync();
    }

    [Fact]
    public async Task StopAsync_StalledConnections_AbortsThemAtTheShutdownTimeout()
    {
        var time = new ManualTimeProvider();
        var options = TestServers.LoopbackOptions() with { ShutdownTimeout = TimeSpan.FromSeconds(3) };
        var server = await TestServers.StartAsync(options, time);
        using var client = TestServers.Client(server);
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await silent.ConnectAsync(IPAddress.Loopback, server.HttpAddress.Port);
        using var halfRequest = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await halfRequest.ConnectAsync(IPAddress.Loopback, server.HttpAddress.Port);
        await halfRequest.SendAsync("GET /ping HTTP/1.1\r\nHost: x\r\n"u8.ToArray());
        var delayed = client.GetAsync("/ping?delay_ms=60000");
        await time.WaitForArmedTimersAsync(1);

        var stop = server.StopAsync();
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => delayed.WaitAsync(TimeSpan.FromSeconds(10)));
        await time.WaitForArmedTimersAsync(1);
        Assert.False(stop.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(3));
        await stop.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, server.Counters.RequestsReceived);
        Assert.Equal(1, server.Counters.RequestsAborted);
        Assert.Equal(0, server.Counters.InFlight);
        Assert.Equal(0, server.Counters.ResponsesSent);
        Assert.Same(stop, server.StopAsync());
        await server.DisposeAsync();
    }

    [Fact]
    public async Task StopAsync_EchoPeerNotReading_Completes()
    {
        var server = await TestServers.StartAsync(TestServers.LoopbackOptions(tcp: true));
        using var echo = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await echo.ConnectAsync(server.TcpEndPoint!);
        var sending = echo.SendAsync(new byte[64 * 1024 * 1024]);
        await TestServers.WaitUntilAsync(
            () => server.Counters.Snapshot().Tcp!.BytesReceived > 1024 * 1024, "the echo is blocked on the peer that does not read");

        await server.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, server.Counters.Snapshot().Tcp!.ConnectionsOpen);
        await Assert.ThrowsAnyAsync<SocketException>(() => sending.WaitAsync(TimeSpan.FromSeconds(10)));
        await server.DisposeAsync();
    }

    [Fact]
    public async Task StartAsync_HttpPortInUse_ThrowsIOException()
    {
        await using var first = await TestServers.StartAsync();
        var taken = new IPEndPoint(IPAddress.Loopback, first.HttpAddress.Port);

        await Assert.ThrowsAnyAsync<IOException>(
            () => TestServers.StartAsync(TestServers.LoopbackOptions() with { HttpEndPoint = taken }));
    }
}
