using Kukai.Engine.Plans;
using Kukai.Engine.Protocols;

namespace Kukai.Engine.Tests.Protocols;

/// <summary>
/// A watchdog thread aborts whatever send is current, at arbitrary moments, while the channel sends in a loop.
/// Whatever the interleaving, each abort that returned true must turn exactly one send into a timeout, and no abort
/// may damage another send (no other error kinds).
/// </summary>
public sealed class AbortRaceTests
{
    private const string Pong = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\npong";

    [Fact]
    public async Task TryAbort_RacingHttp1Sends_EachSuccessfulAbortTimesOutExactlyOneSend()
    {
        await using var server = TestServer.Start(Http1ChannelTests.RespondAlways(Pong));
        await using var factory = RequestChannelFactory.Create(new TargetPlan { Url = server.Url() }, Templates.Http());
        await using var channel = factory.CreateChannel();

        var (timeouts, otherErrors, aborts) = await RaceAsync(channel, 3_000);

        Assert.Equal(0, otherErrors);
        Assert.InRange(aborts, 1, int.MaxValue);
        Assert.Equal(aborts, timeouts);
    }

    [Fact]
    public async Task TryAbort_RacingTcpSends_EachSuccessfulAbortTimesOutExactlyOneSend()
    {
        await using var server = TestServer.Start(async c =>
        {
            while (await c.ReadExactAsync(4) is { } payload)
            {
                await c.WriteAsync(payload);
            }
        });
        await using var factory = RequestChannelFactory.Create(new TargetPlan { Addr = "127.0.0.1", Port = server.Port }, Templates.Tcp("ping", responseBytes: 4));
        await using var channel = factory.CreateChannel();

        var (timeouts, otherErrors, aborts) = await RaceAsync(channel, 3_000);

        Assert.Equal(0, otherErrors);
        Assert.InRange(aborts, 1, int.MaxValue);
        Assert.Equal(aborts, timeouts);
    }

    [Fact]
    public async Task TryAbort_RacingHttpClientSends_EachSuccessfulAbortTimesOutExactlyOneSend()
    {
        await using var server = TestServer.Start(c => Http2TestResponder.ServeAsync(c, 200, "pong"));
        await using var factory = RequestChannelFactory.Create(new TargetPlan { Url = server.Url() }, Templates.Http() with { HttpVersion = "2" });
        await using var channel = factory.CreateChannel();

        var (timeouts, otherErrors, aborts) = await RaceAsync(channel, 1_000);

        Assert.Equal(0, otherErrors);
        Assert.InRange(aborts, 1, int.MaxValue);
        Assert.Equal(aborts, timeouts);
    }

    private static async Task<(int Timeouts, int OtherErrors, int Aborts)> RaceAsync(IRequestChannel channel, int sends)
    {
        int aborts = 0;
        using var done = new CancellationTokenSource();
        var watchdog = Task.Run(() =>
        {
            var random = new Random(42);
            while (!done.IsCancellationRequested)
            {
                Thread.SpinWait(random.Next(1, 20_000));
                if (channel.TryAbort(channel.Generation))
                {
                    aborts++;
                }
            }
        });

        int timeouts = 0;
        int otherErrors = 0;
        await Task.Run(async () =>
        {
            for (int i = 0; i < sends; i++)
            {
                var outcome = await channel.SendAsync().ConfigureAwait(false);
                if (outcome.Error == ErrorKind.Timeout)
                {
                    timeouts++;
                }
                else if (outcome.Error != ErrorKind.None)
                {
                    otherErrors++;
                }
            }
        }).Within();

        await done.CancelAsync();
        await watchdog.Within();
        return (timeouts, otherErrors, aborts);
    }
}
