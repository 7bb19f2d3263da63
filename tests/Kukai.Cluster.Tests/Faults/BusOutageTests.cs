using System.Net;
using Kukai.Cluster.Driver;
using Kukai.Cluster.Messages;
using Kukai.Cluster.Orchestration;
using Kukai.Cluster.Transport;
using Kukai.Engine.Plans;
using Kukai.Target;
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
    private readonly CancellationTokenSource _stop = new();
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "kukai-outage-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<(DriverNode Node, Task Run)> _drivers = [];
    private OrchestratorRuntime _runtime = null!;
    private TargetServer _target = null!;

    public async Task InitializeAsync()
    {
        _target = await TargetServer.StartAsync(new TargetOptions { HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 0) }, TimeProvider.System, null, default);
        var options = new OrchestratorOptions { DataDir = _dataDir, StartDelay = TimeSpan.FromMilliseconds(500), HeartbeatTimeout = HeartbeatTimeout };
        _runtime = new OrchestratorRuntime(Transport(), options, TimeProvider.System, NullLoggerFactory.Instance);
        await _runtime.StartAsync(default);
    }

    public async Task DisposeAsync()
    {
        _bus.Up();
        await _stop.CancelAsync();
        foreach (var (node, run) in _drivers)
        {
            await run;
            await node.DisposeAsync();
        }

        await _runtime.DisposeAsync();
        await _target.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }

    [Fact]
    public async Task Tick_BusDownDuringTest_NoDriverLostAndCountsReconcileWithTheTarget()
    {
        await StartDriverAsync("d1");
        var plan = new LoadPlan
        {
            Type = TestType.Tsunami,
            Rps = 100,
            Requests = 800,
            Targets = [new TargetPlan { Url = new Uri(_target.HttpAddress, "ping").ToString() }],
        };
        var id = (await _runtime.StartTestAsync(plan, default)).Test!.Id;
        await WaitUntilAsync(() => _runtime.Test(id)!.Stats.Aggregate.Count > 100);

        _bus.Down();
        await Task.Delay(Outage);
        Assert.Equal("running", _runtime.Drivers().Single().State);
        _bus.Up();
        await WaitUntilAsync(() => _runtime.Test(id)!.State is "completed" or "failed" or "stopped", TimeSpan.FromSeconds(60));

        var done = _runtime.Test(id)!;
        Assert.Equal("completed", done.State);
        Assert.Equal("passed", done.Verdict);
        Assert.Empty(done.LostDrivers);
        Assert.Equal(800, done.Stats.Aggregate.Count);
        Assert.Equal(_target.Counters.RequestsReceived, done.Stats.Aggregate.Count);
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

    private OutageTransport Transport() => new(_hub.CreateTransport(), _bus);

    private async Task StartDriverAsync(string id)
    {
        var node = new DriverNode(Transport(), new DriverOptions { DriverId = id, SpoolDirectory = Path.Combine(_dataDir, "spool") }, TimeProvider.System, NullLoggerFactory.Instance);
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
