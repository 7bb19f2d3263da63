using System.Net;
using System.Net.Sockets;
using Kukai.Target.Tests.Testing;

namespace Kukai.Target.Tests.Tcp;

public sealed class TcpEchoListenerTests
{
    [Fact]
    public async Task Echo_RoundTrips_EchoedExactlyAndCountedExactly()
    {
        await using var server = await TestServers.StartAsync(TestServers.LoopbackOptions(tcp: true));
        using var socket = await ConnectAsync(server);
        var payloads = new[] { "GET / HTTP/1.1\r\n\r\n"u8.ToArray(), [0, 1, 2, 255], new byte[1000] };
        Random.Shared.NextBytes(payloads[2]);

        foreach (var payload in payloads)
        {
            await socket.SendAsync(payload);
            Assert.Equal(payload, await ReceiveExactlyAsync(socket, payload.Length));
        }

        var tcp = server.Counters.Snapshot().Tcp!;
        Assert.Equal(1, tcp.ConnectionsAccepted);
        Assert.Equal(1, tcp.ConnectionsOpen);
        Assert.Equal(3, tcp.Reads);
        Assert.Equal(1022, tcp.BytesReceived);
        Assert.Equal(1022, tcp.BytesSent);
        Assert.Equal(0, server.Counters.RequestsReceived);
    }

    [Fact]
    public async Task Echo_LargePayload_EchoedExactly()
    {
        await using var server = await TestServers.StartAsync(TestServers.LoopbackOptions(tcp: true));
        using var socket = await ConnectAsync(server);
        var payload = new byte[3_000_000];
        Random.Shared.NextBytes(payload);

        var send = socket.SendAsync(payload);
        var echoed = await ReceiveExactlyAsync(socket, payload.Length);
        await send;

        Assert.Equal(payload, echoed);
        Assert.Equal(payload.Length, server.Counters.Snapshot().Tcp!.BytesReceived);
        Assert.Equal(payload.Length, server.Counters.Snapshot().Tcp!.BytesSent);
    }

    [Fact]
    public async Task Echo_ConnectionsOpenedAndClosed_CountedExactly()
    {
        await using var server = await TestServers.StartAsync(TestServers.LoopbackOptions(tcp: true));
        var sockets = new List<Socket>();
        for (var i = 0; i < 5; i++)
        {
            var socket = await ConnectAsync(server);
            await socket.SendAsync(new byte[] { (byte)i });
            Assert.Equal([(byte)i], await ReceiveExactlyAsync(socket, 1));
            sockets.Add(socket);
        }

        Assert.Equal(5, server.Counters.Snapshot().Tcp!.ConnectionsOpen);
        foreach (var socket in sockets.Take(3))
        {
            socket.Dispose();
        }

        await TestServers.WaitUntilAsync(() => server.Counters.Snapshot().Tcp!.ConnectionsOpen == 2, "3 connections are closed");
        var tcp = server.Counters.Snapshot().Tcp!;
        Assert.Equal(5, tcp.ConnectionsAccepted);
        Assert.Equal(5, tcp.Reads);
        Assert.Equal(5, tcp.BytesSent);
        sockets.ForEach(s => s.Dispose());
    }

    [Fact]
    public async Task Echo_ChunkArrivingMidFreeze_EchoedAtFreezeEnd()
    {
        var time = new ManualTimeProvider();
        var options = TestServers.LoopbackOptions(tcp: true) with { StallMs = 100, StallEveryMs = 500 };
        await using var server = await TestServers.StartAsync(options, time);
        using var socket = await ConnectAsync(server);
        time.AdvanceTo(TimeSpan.FromMilliseconds(450));

        await socket.SendAsync("abc"u8.ToArray());
        var echo = ReceiveExactlyAsync(socket, 3);
        await time.WaitForArmedTimersAsync(1);

        Assert.Equal(1, server.Counters.StalledRequests);
        time.AdvanceTo(TimeSpan.FromMilliseconds(500) - TimeSpan.FromTicks(1));
        Assert.False(echo.IsCompleted);
        Assert.Equal(0, server.Counters.Snapshot().Tcp!.BytesSent);
        time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal("abc"u8.ToArray(), await echo.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(3, server.Counters.Snapshot().Tcp!.BytesSent);
    }

    [Fact]
    public async Task StartAsync_TcpPortInUse_ThrowsIOExceptionNamingTheAddress()
    {
        using var occupied = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        occupied.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        occupied.Listen();
        var taken = (IPEndPoint)occupied.LocalEndPoint!;

        var e = await Assert.ThrowsAsync<IOException>(
            () => TestServers.StartAsync(TestServers.LoopbackOptions() with { TcpEndPoint = taken }));

        Assert.Contains($"TCP echo listener to {taken}", e.Message, StringComparison.Ordinal);
    }

    private static async Task<Socket> ConnectAsync(TargetServer server)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(server.TcpEndPoint!);
        return socket;
    }

    private static async Task<byte[]> ReceiveExactlyAsync(Socket socket, int length)
    {
        var buffer = new byte[length];
        var received = 0;
        while (received < length)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(received)).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.NotEqual(0, n);
            received += n;
        }

        return buffer;
    }
}
