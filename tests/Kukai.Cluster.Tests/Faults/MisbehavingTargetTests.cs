using System.Diagnostics;
using System.Net;
using Kukai.Engine.Execution;
using Kukai.Engine.Metrics;
using Kukai.Engine.Plans;
using Kukai.Engine.Protocols;
using Kukai.Target;
using TargetCounters = Kukai.Engine.Metrics.TargetCounters;

namespace Kukai.Cluster.Tests.Faults;

/// <summary>
/// The engine against the reference target asked to misbehave (<c>/ping?close=1</c>, <c>?garbage=1</c>,
/// <c>?trickle_ms=N</c>): every request is counted once, as an error of the right kind, and the counts reconcile with
/// the target's.
/// </summary>
public sealed class MisbehavingTargetTests : IAsyncLifetime
{
    private TargetServer _target = null!;

    public async Task InitializeAsync() =>
        _target = await TargetServer.StartAsync(new TargetOptions { HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 0) }, TimeProvider.System, null, default);

    public async Task DisposeAsync() => await _target.DisposeAsync();

    [Theory]
    [InlineData("close=1", 40, ErrorKind.Reset)]
    [InlineData("garbage=1", 40, ErrorKind.Protocol)]
    [InlineData("trickle_ms=600", 8, ErrorKind.Timeout)]
    public async Task RunAsync_TargetMisbehaves_EveryRequestAnErrorOfItsKind(string query, long requests, ErrorKind kind)
    {
        // The timeout leaves room for a cold start on a busy machine; a trickled body takes 4 x 600 ms.
        var plan = new LoadPlan
        {
            Type = TestType.Avalanche,
            Concurrency = 4,
            Requests = requests,
            TimeoutMs = 1500,
            Targets = [new TargetPlan { Url = new Uri(_target.HttpAddress, "ping?" + query).ToString() }],
        };

        var total = await RunAsync(plan);
        await WaitUntilAsync(() => _target.Counters.InFlight == 0);

        Assert.Equal(requests, total.Sent);
        Assert.Equal(requests, total.Count);
        Assert.Equal(0, total.Ok);
        Assert.True(requests == total.ErrorsOf(kind), string.Join(", ", Enum.GetValues<ErrorKind>().Select(k => $"{k}={total.ErrorsOf(k)}")));
        Assert.Equal(requests, _target.Counters.RequestsReceived);
        Assert.Equal(requests, _target.Counters.RequestsAborted);
        Assert.Equal(0, _target.Counters.ResponsesSent);
    }

    [Fact]
    public async Task RunAsync_TargetsMixedWithHealthyOne_OkAndEachKindReconcileWithTheTarget()
    {
        var plan = new LoadPlan
        {
            Type = TestType.Tsunami,
            Rps = 400,
            Requests = 400,
            TimeoutMs = 1500,
            Targets =
            [
                new TargetPlan { Url = new Uri(_target.HttpAddress, "ping").ToString() },
                new TargetPlan { Url = new Uri(_target.HttpAddress, "ping?close=1").ToString() },
                new TargetPlan { Url = new Uri(_target.HttpAddress, "ping?garbage=1").ToString() },
                new TargetPlan { Url = new Uri(_target.HttpAddress, "ping?trickle_ms=600").ToString() },
            ],
        };

        var (total, perTarget) = await RunPerTargetAsync(plan);
        await WaitUntilAsync(() => _target.Counters.InFlight == 0);

        Assert.Equal(400, total.Count);
        Assert.Equal(_target.Counters.RequestsReceived, total.Sent);
        Assert.Equal(_target.Counters.ResponsesSent, total.Ok);
        Assert.Equal(_target.Counters.RequestsAborted, total.Errors);
        Assert.Equal(perTarget[0].Count, perTarget[0].Ok);
        Assert.Equal(perTarget[1].Count, perTarget[1].ErrorsOf(ErrorKind.Reset));
        Assert.Equal(perTarget[2].Count, perTarget[2].ErrorsOf(ErrorKind.Protocol));
        Assert.Equal(perTarget[3].Count, perTarget[3].ErrorsOf(ErrorKind.Timeout));
        Assert.All(perTarget, t => Assert.True(t.Count > 0));
    }

    [Fact]
    public async Task RunAsync_TargetStopsMidRun_LaterRequestsAreConnectErrorsAndTheRunEndsOnTime()
    {
        var plan = new LoadPlan
        {
            Type = TestType.Tsunami,
            Rps = 200,
            DurationSeconds = 3,
            TimeoutMs = 1000,
            Targets = [new TargetPlan { Url = new Uri(_target.HttpAddress, "ping").ToString() }],
        };
        await using var runner = new LoadRunner(plan, new RunContext("d"), TimeProvider.System);
        var total = new TargetCounters();
        var clock = Stopwatch.StartNew();
        var run = runner.RunAsync(runner.Clock.Now, interval => total.Add(interval.Total()));
        await WaitUntilAsync(() => _target.Counters.ResponsesSent >= 100);

        await _target.StopAsync();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.False(result.Stopped);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3) + TimeSpan.FromMilliseconds(plan.TimeoutMs) + TimeSpan.FromSeconds(5), $"the run took {clock.Elapsed}");
        Assert.Equal(total.Sent, total.Count);
        Assert.Equal(_target.Counters.ResponsesSent, total.Ok);
        Assert.True(total.ErrorsOf(ErrorKind.Connect) > 0, "no connect errors after the target stopped");
        Assert.Equal(total.Errors, total.ErrorsOf(ErrorKind.Connect) + total.ErrorsOf(ErrorKind.Reset));
    }

    [Theory]
    [InlineData("close=2", "bad query parameter close=2: must be 1 (on) or 0 (off)")]
    [InlineData("garbage=yes", "bad query parameter garbage=yes: must be 1 (on) or 0 (off)")]
    [InlineData("trickle_ms=0", "bad query parameter trickle_ms=0: must be an integer number of milliseconds from 1 to 60000")]
    [InlineData("close=1&trickle_ms=5", "bad query parameters: close, garbage and trickle_ms exclude each other")]
    public async Task Ping_BadFaultParameter_Answers400NamingIt(string query, string message)
    {
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(_target.HttpAddress, "ping?" + query));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(message + "\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Ping_FaultSwitchedOff_AnswersPong()
    {
        using var http = new HttpClient();

        var body = await http.GetStringAsync(new Uri(_target.HttpAddress, "ping?close=0&garbage=0"));

        Assert.Equal("pong", body);
    }

    private static async Task<TargetCounters> RunAsync(LoadPlan plan) => (await RunPerTargetAsync(plan)).Total;

    private static async Task<(TargetCounters Total, TargetCounters[] PerTarget)> RunPerTargetAsync(LoadPlan plan)
    {
        await using var runner = new LoadRunner(plan, new RunContext("d"), TimeProvider.System);
        var perTarget = plan.Targets.Select(_ => new TargetCounters()).ToArray();
        var result = await runner.RunAsync(runner.Clock.Now, interval =>
        {
            for (var i = 0; i < perTarget.Length; i++)
            {
                perTarget[i].Add(interval.Targets[i]);
            }
        }).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Null(result.Unexpected);
        var total = new TargetCounters();
        foreach (var t in perTarget)
        {
            total.Add(t);
        }

        return (total, perTarget);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 20 s");
            await Task.Delay(20);
        }
    }
}
