using System.Text;
using Kukai.Engine.Execution;
using Kukai.Engine.Metrics;
using Kukai.Engine.Plans;
using Kukai.Engine.Protocols;
using Kukai.Engine.Tests.Protocols;
using Kukai.Engine.Tests.Testing;

namespace Kukai.Engine.Tests.Execution.Native;

/// <summary>
/// The native event loop against scripted servers: what HTTP/1.1 servers do that a counting server does not
/// (closing connections, chunked bodies trickling in, garbage, resets), each counted as the right outcome, with
/// reconnection and exact counts.
/// </summary>
public sealed class NativeClosedLoopTests
{
    private static readonly byte[] Ok = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");

    [Fact]
    public async Task RunAsync_ServerClosesAfterEachResponse_EveryRequestReconnectsAndSucceeds()
    {
        var close = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        await using var server = TestServer.Start(async c =>
        {
            await c.ReadRequestAsync();
            await c.WriteAsync(close);
            c.Close();
        });

        var total = await RunAsync(server.Url("/ping"), concurrency: 3, requests: 60);

        Assert.Equal((60L, 60L, 0L), (total.Count, total.Ok, total.Errors));
        Assert.Equal(60, server.Connections);
        Assert.Equal(60L * close.Length, total.BytesReceived);
    }

    [Fact]
    public async Task RunAsync_ChunkedBodyWrittenByteByByte_Complete()
    {
        const string chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\npong\r\n0\r\nTrailer: t\r\n\r\n";
        await using var server = TestServer.Start(async c =>
        {
            while (await c.ReadRequestAsync() is not null)
            {
                await c.WriteByteByByteAsync(chunked);
            }
        });

        var total = await RunAsync(server.Url("/ping"), concurrency: 2, requests: 10);

        Assert.Equal((10L, 10L), (total.Count, total.Ok));
        Assert.Equal(10L * chunked.Length, total.BytesReceived);
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public async Task RunAsync_GarbageReplies_ProtocolErrorsAndReconnects()
    {
        await using var server = TestServer.Start(async c =>
        {
            while (await c.ReadRequestAsync() is not null)
            {
                await c.WriteAsync(Encoding.ASCII.GetBytes("SSH-2.0-OpenSSH_9.2\r\n"));
            }
        });

        var total = await RunAsync(server.Url("/ping"), concurrency: 2, requests: 12);

        Assert.Equal((12L, 12L), (total.Count, total.ErrorsOf(ErrorKind.Protocol)));
    }

    [Fact]
    public async Task RunAsync_ServerResetsBeforeAnswering_ResetErrors()
    {
        await using var server = TestServer.Start(async c =>
        {
            await c.ReadRequestAsync();
            c.Socket.LingerState = new System.Net.Sockets.LingerOption(true, 0);
            c.Close();
        });

        var total = await RunAsync(server.Url("/ping"), concurrency: 2, requests: 10);

        Assert.Equal((10L, 10L), (total.Count, total.ErrorsOf(ErrorKind.Reset)));
    }

    [Fact]
    public async Task RunAsync_RefusedPort_ConnectErrorsWithoutRecursion()
    {
        var total = await RunAsync($"http://127.0.0.1:{TestServer.RefusedPort()}/ping", concurrency: 4, requests: 20_000);

        Assert.Equal((20_000L, 20_000L), (total.Count, total.ErrorsOf(ErrorKind.Connect)));
    }

    [Fact]
    public async Task RunAsync_LargeRequestBody_SentWhole()
    {
        var body = new string('x', 200 * 1024); // the scripted server reads at most 256 KiB per request
        long received = 0;
        await using var server = TestServer.Start(async c =>
        {
            while (await c.ReadRequestAsync() is { } request)
            {
                Interlocked.Add(ref received, request.Length);
                await c.WriteAsync(Ok);
            }
        });

        var total = await RunAsync(server.Url("/upload"), concurrency: 1, requests: 3, plan: p => p with { Method = "POST", Payload = body });

        Assert.Equal((3L, 3L), (total.Count, total.Ok));
        Assert.Equal(total.BytesSent, Interlocked.Read(ref received));
        Assert.True(total.BytesSent > 3L * body.Length);
    }

    private static async Task<TargetCounters> RunAsync(string url, int concurrency, long requests, Func<LoadPlan, LoadPlan>? plan = null)
    {
        var basePlan = new LoadPlan { Targets = [new TargetPlan { Url = url }], Concurrency = concurrency, Requests = requests, TimeoutMs = 5000 };

        await using var runner = new LoadRunner((plan ?? (p => p))(basePlan), new RunContext("native"), TimeProvider.System);
        var recorder = new RunRecorder();
        var result = await recorder.RunAsync(runner);
        Assert.Null(result.Unexpected);
        return recorder.Total;
    }
}
