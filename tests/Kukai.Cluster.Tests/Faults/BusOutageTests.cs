using System.Net;
using Kukai.Cluster.Driver;
using Kukai.Cluster.Messages;
using Kukai.Cluster.Orchestration;
using Kukai.Cluster.Transport;
using Kukai.Engine.Plans;
using Kukai.Target;
using Kukai.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kukai.Cluster.Tests.Faults;

/// <summary>
/// The message bus gone for longer than the heartbeat timeout: the orchestrator cannot tell a silent driver from a
/// silent bus, so it declares no driver lost until the bus is back, and a test in progress keeps every number.
/// </summary>
public sealed class BusOutageTests : IAsyncLifetime
{
    private static readonly TimeSpan HeartbeatTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Well over the heartbeat timeout: the fault's length, not a wait for anything.</summary>
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(5);

    private readonly InProcessHub _hub = new();
    private readonly OutageSwitch _bus = new();
    private readonly List<OutageSwitch> _links = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly TempDirectory _dataDir = new();
    private readonly List<(DriverNode Node, Task Run)> _drivers = [];
    private OrchestratorRuntime _runtime = null!;
    private TargetServer _target = null!;

    public async Task InitializeAsync()
    {
        _target = await TargetServer.StartAsync(new TargetOptions { HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 0) }, TimeProvider.System, null, default);
        var options = new OrchestratorOptions { DataDir = _dataDir.Path, StartDelay = TimeSpan.FromMilliseconds(500), HeartbeatTimeout = HeartbeatTimeout };
        _runtime = new OrchestratorRuntime(Transport(), options, TimeProvider.System, NullLoggerFactory.Instance);
        await _runtime.StartAsync(default);
    }

    public async Task DisposeAsync()
    {
        _bus.Up();
        foreach (var link in _links)
        {
            link.Up();
        }

        await _stop.CancelAsync();
        foreach (var (node, run) in _drivers)
        {
            await run;
            await node.DisposeAsync();
        }

        await _runtime.DisposeAsync();
        await _target.DisposeAsync();
        _dataDir.Dispose();
    }

    [Fact]
    public async Task Tick_BusDownDuringTest_NoDriverLostAndCountsReconcileWithTheTarget()
    {
        await StartDriverAsync("d1");
        var id = await StartPingTestAsync(800);

        _bus.Down();
        await Task.Delay(Outage);
        Assert.Equal("running", _runtime.Drivers().Single().State);
        _bus.Up();
        var done = await WaitForEndAsync(id);

        AssertWholeAndReconciled(done, 800);
    }

    [Fact]
    public async Task Tick_OneDriversLinkDownPastTheTimeout_LostThenBackInTheTestWithEveryCount()
    {
        // Only d2's messages are held up (as behind the one Kafka broker that leads its partitions): the orchestrator
        // hears d1, so it counts d2 lost. d2 never stopped; once its messages arrive it is back in the test.
        var d2Link = new OutageSwitch();
        await StartDriverAsync("d1");
        await StartDriverAsync("d2", d2Link);
        var id = await StartPingTestAsync(800);

        d2Link.Down();
        await WaitUntilAsync(() => _runtime.Drivers().Any(d => d is { Id: "d2", State: "lost" }));
        d2Link.Up();
        var done = await WaitForEndAsync(id);

        AssertWholeAndReconciled(done, 1600);
        Assert.All(done.Stats.PerDriver.Values, d => Assert.Equal(800, d.Count));
    }

    [Fact]
    public async Task Tick_EveryDriversLinkDownPastTheTimeout_TestWaitsAndTheyComeBackWithEveryCount()
    {
        // The orchestrator's own link is up, so this is not an outage to it: its only driver goes silent, is lost,
        // and is heard from again just after. The test does not fail in between.
        var link = new OutageSwitch();
        await StartDriverAsync("d1", link);
        var id = await StartPingTestAsync(500, recordRequests: false);

        link.Down();
        await WaitUntilAsync(() => _runtime.Drivers().Single().State == "lost");
        link.Up();
        var done = await WaitForEndAsync(id);

        AssertWholeAndReconciled(done, 500);
    }

    [Fact]
    public async Task Tick_LostDriverHeardFromJustAfterTheOthersFinished_BackInTheTestWithEveryCount()
    {
        var d2Link = new OutageSwitch();
        await StartDriverAsync("d1");
        await StartDriverAsync("d2", d2Link);
        var id = await StartPingTestAsync(500, recordRequests: false);

        // d2's messages are held up until a while after d1 sent its last report: the results wait a little for d2.
        d2Link.Down();
        await WaitUntilAsync(() => _runtime.Drivers().Any(d => d is { Id: "d2", State: "lost" }) && _runtime.Test(id)!.Progress["d1"].Completed == 500);
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // the rest of the fault: past the tick that would have ended the test
        d2Link.Up();
        var done = await WaitForEndAsync(id);

        AssertWholeAndReconciled(done, 1000);
    }

    [Fact]
    public async Task Tick_DriverGoneDuringOutage_LostOnlyOnceTheBusIsBack()
    {
        var transport = Transport();
        await transport.PublishAsync(ClusterTopic.Status, new RegisterMessage("h", 1, "0", 1, DateTimeOffset.UtcNow) { DriverId = "silent", Seq = 1 }, default);
        await transport.PublishAsync(ClusterTopic.Status, new HeartbeatMessage("h", DriverState.Idle, null, 0, 0, null) { DriverId = "silent", Seq = 2 }, default);
        await WaitUntilAsync(() => _runtime.Drivers().Any(d => d is { Id: "silent", State: "idle" }));

        _bus.Down();
        await Task.Delay(Outage);
        var duringOutage = _runtime.Drivers().Single().State;
        _bus.Up();

        Assert.Equal("idle", duringOutage);
        await WaitUntilAsync(() => _runtime.Drivers().Single().State == "lost", TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task StartTestAsync_BusDown_TestFailsAndTheStartDeliveredLaterIsStopped()
    {
        await StartDriverAsync("d1");
        var finished = new TaskCompletionSource<FinishedMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = _hub.CreateTransport().ConsumeAsync(new ClusterSubscription([ClusterTopic.Status], null), (m, _) =>
        {
            if (m is FinishedMessage f)
            {
                finished.TrySetResult(f);
            }

            return Task.CompletedTask;
        }, listening, _stop.Token);
        await listening.Task;
        var plan = new LoadPlan
        {
            Type = TestType.Tsunami,
            Rps = 50,
            DurationSeconds = 120,
            RecordRequests = 0,
            Targets = [new TargetPlan { Url = new Uri(_target.HttpAddress, "ping").ToString() }],
        };

        _bus.Down();
        var id = (await _runtime.StartTestAsync(plan, default)).Test!.Id;
        await WaitUntilAsync(() => _runtime.Test(id)!.State == "failed");
        _bus.Up();

        // The start reaches the driver after all; the stop behind it ends the run long before its two minutes.
        var ghost = await finished.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(id, ghost.TestId);
        Assert.True(ghost.Stopped);
        Assert.Contains("could not be sent", _runtime.Test(id)!.Reason, StringComparison.Ordinal);
        await WaitUntilAsync(() => _runtime.Drivers().Single().State == "idle");
    }

    // A paced test (100 requests/s per driver to the target's /ping, `requests` each), started and under way (over 100 counted).
    private async Task<string> StartPingTestAsync(long requests, bool recordRequests = true)
    {
        var plan = new LoadPlan
        {
            Type = TestType.Tsunami,
            Rps = 100,
            Requests = requests,
            Targets = [new TargetPlan { Url = new Uri(_target.HttpAddress, "ping").ToString() }],
        };
        var id = (await _runtime.StartTestAsync(recordRequests ? plan : plan with { RecordRequests = 0 }, default)).Test!.Id;
        await WaitUntilAsync(() => _runtime.Test(id)!.Stats.Aggregate.Count > 100);
        return id;
    }

    private async Task<TestView> WaitForEndAsync(string id)
    {
        await WaitUntilAsync(() => _runtime.Test(id)!.State is "completed" or "failed" or "stopped", TimeSpan.FromSeconds(60));
        return _runtime.Test(id)!;
    }

    // The test completed and passed with no driver left out, every request counted once, as many as the target received.
    private void AssertWholeAndReconciled(TestView done, long requests)
    {
        Assert.True(
            done is { State: "completed", Verdict: "passed" },
            $"{done.State}/{done.Verdict}: {done.Reason}; lost {string.Join(",", done.LostDrivers)}; {done.Stats.Aggregate.Count} requests");
        Assert.Empty(done.LostDrivers);
        Assert.Equal(requests, done.Stats.Aggregate.Count);
        Assert.Equal(_target.Counters.RequestsReceived, done.Stats.Aggregate.Count);
    }

    private OutageTransport Transport(OutageSwitch? link = null) => new(_hub.CreateTransport(), link ?? _bus);

    private async Task StartDriverAsync(string id, OutageSwitch? link = null)
    {
        if (link is not null)
        {
            _links.Add(link);
        }

        var node = new DriverNode(Transport(link), new DriverOptions { DriverId = id, SpoolDirectory = Path.Combine(_dataDir.Path, "spool") }, TimeProvider.System, NullLoggerFactory.Instance);
        _drivers.Add((node, node.RunAsync(_stop.Token)));
        await node.Ready.WaitAsync(TimeSpan.FromSeconds(10));
        await WaitUntilAsync(() => _runtime.Drivers().Any(d => d.Id == id && d.State == "idle"));
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(20);
        }
    }
}
