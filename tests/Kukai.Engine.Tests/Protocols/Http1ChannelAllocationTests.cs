using System.Diagnostics;
using System.Reflection;
using System.Net.Sockets;
using Kukai.Engine.Plans;
using Kukai.Engine.Protocols;
using Kukai.Engine.Tests.Testing;

namespace Kukai.Engine.Tests.Protocols;

/// <summary>The hot path must not allocate per request. Runs alone: the allocation counter is process-wide.</summary>
[Collection(nameof(ProcessWideCollection))]
public sealed class Http1ChannelAllocationTests
{
    private static readonly byte[] Pong = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\npong"u8.ToArray();

    [Fact]
    public async Task SendAsync_KeepAliveLoop_AllocatesAlmostNothingPerRequest()
    {
        const int Requests = 10_000;
        await using var server = TestServer.Start(ServeWithoutAllocatingAsync);
        await using var factory = RequestChannelFactory.Create(new TargetPlan { Url = $"http://127.0.0.1:{server.Port}/ping" }, Templates.Http());
        await using var channel = factory.CreateChannel();
        await Task.Run(() => RunAsync(channel, 2_000)).Within(); // connect, JIT, fill pools

        long before = GC.GetTotalAllocatedBytes(precise: true);
        int ok = await Task.Run(() => RunAsync(channel, Requests)).Within();
        long perRequest = (GC.GetTotalAllocatedBytes(precise: true) - before) / Requests;

        // An unoptimized (Debug) build compiles async state machines as classes: one per SendAsync call (~200 bytes).
        // The bound still catches a buffer or a message allocated per request.
        bool optimized = typeof(IRequestChannel).Assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled != true;
        long bound = optimized ? 16 : 320;
        Assert.Equal(Requests, ok);
        Assert.True(perRequest < bound, $"{perRequest} bytes allocated per request (client and server together), optimized: {optimized}");
    }

    // One async method for the whole loop, so its state machine is boxed once; run on the thread pool, away from xunit's
    // synchronization context (the engine's loops do not have one either).
    private static async Task<int> RunAsync(IRequestChannel channel, int requests)
    {
        int ok = 0;
        for (int i = 0; i < requests; i++)
        {
            if ((await channel.SendAsync().ConfigureAwait(false)).Success)
            {
                ok++;
            }
        }

        return ok;
    }

    // Answers each GET (headers only) with Pong, through the same allocation-free socket APIs.
    private static async Task ServeWithoutAllocatingAsync(ServerConnection connection)
    {
        var socket = connection.Socket;
        var buffer = new byte[4096];
        int filled = 0;
        while (true)
        {
            int n = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None);
            if (n == 0)
            {
                return;
            }

            filled += n;
            int end;
            while ((end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) >= 0)
            {
                buffer.AsSpan(end + 4, filled - end - 4).CopyTo(buffer);
                filled -= end + 4;
                await socket.SendAsync(Pong.AsMemory(), SocketFlags.None);
            }
        }
    }
}
