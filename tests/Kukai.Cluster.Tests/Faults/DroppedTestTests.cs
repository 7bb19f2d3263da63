using Kukai.Cluster.Messages;
using Kukai.Cluster.Orchestration;
using Kukai.Cluster.Transport;
using Kukai.Engine.Plans;
using Kukai.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kukai.Cluster.Tests.Faults;

/// <summary>
/// A driver that restarts (same id) in the middle of a test keeps heartbeating, so it is never "lost"; its heartbeats
/// say it runs nothing. The orchestrator leaves it out of the test instead of waiting forever for its results, and
/// does not confuse it with a heartbeat written before the driver took the test.
/// </summary>
public sealed class DroppedTestTests : IAsyncLifetime
{
    private readonly InProcessHub _hub = new();
    private readonly TempDirectory _dataDir = new();
    private OrchestratorRuntime _runtime = null!;
    private IClusterTransport _driver = null!;
    private long _seq;

    public async Task InitializeAsync()
    {
        _runtime = new OrchestratorRuntime(_hub.CreateTransport(), new OrchestratorOptions { DataDir = _dataDir.Path, StartDelay = TimeSpan.FromMilliseconds(200) }, TimeProvider.System, NullLoggerFactory.Instance);
        await _runtime.StartAsync(default);
        _driver = _hub.CreateTransport();
    }

    public async Task DisposeAsync()
    {
        await _runtime.DisposeAsync();
        _dataDir.Dispose();
    }

    [Fact]
    public async Task Heartbeat_IdleAfterTheAckWithoutFinishing_DriverLeftOutAndTheTestEnds()
    {
        var t0 = DateTimeOffset.UtcNow;
        await RegisterAsync(t0);
        await HeartbeatAsync(null, t0, sent: 0);
        await WaitUntilAsync(() => _runtime.Drivers().Any(d => d.State == "idle"));
        var id = (await _runtime.StartTestAsync(new LoadPlan { Requests = 1_000_000, Targets = [new TargetPlan { Url = "http://127.0.0.1:9/" }] }, default)).Test!.Id;
        await PublishAsync(new AckMessage(0, 0) { TestId = id, SentAt = t0.AddSeconds(2) });

        // Written before the driver took the test, delivered after its ack: not a dropped test.
        await HeartbeatAsync(null, t0.AddSeconds(1), sent: 0);
        await HeartbeatAsync(id, t0.AddSeconds(3), sent: 42);
        await WaitUntilAsync(() => _runtime.Drivers().Single().Sent == 42);
        Assert.Empty(_runtime.Test(id)!.LostDrivers);

        // The driver restarts: it registers again and runs nothing.
        await RegisterAsync(t0.AddSeconds(4));
        await HeartbeatAsync(null, t0.AddSeconds(4), sent: 0);
        await WaitUntilAsync(() => _runtime.Test(id)!.State is "completed" or "failed" or "stopped");

        var test = _runtime.Test(id)!;
        Assert.Equal(["d1"], test.LostDrivers);
        Assert.Contains("stopped running the test without finishing it", test.Reason, StringComparison.Ordinal);
        await WaitUntilAsync(() => _runtime.Drivers().Single().State == "idle");
    }

    [Fact]
    public async Task StartTestAsync_RightAfterTheLastTestEnded_TheDriverIsIdleAtOnce()
    {
        var t0 = DateTimeOffset.UtcNow;
        await RegisterAsync(t0);
        await HeartbeatAsync(null, t0, sent: 0);
        await WaitUntilAsync(() => _runtime.Drivers().Any(d => d.State == "idle"));
        var plan = new LoadPlan { Requests = 1, RecordRequests = 0, Targets = [new TargetPlan { Url = "http://127.0.0.1:9/" }] };
        var id = (await _runtime.StartTestAsync(plan, default)).Test!.Id;
        await PublishAsync(new AckMessage(0, 0) { TestId = id, SentAt = t0.AddSeconds(1) });
        await HeartbeatAsync(id, t0.AddSeconds(2), sent: 1);

        // Its finished message is the driver's last word on the test; no heartbeat follows it yet.
        await PublishAsync(new FinishedMessage([CountersDto.From(new Engine.Metrics.TargetCounters())], 0, 0, false, null, t0, t0.AddSeconds(3)) { TestId = id, SentAt = t0.AddSeconds(3) });
        await WaitUntilAsync(() => _runtime.Test(id)!.State is "completed" or "failed" or "stopped");
        var next = await _runtime.StartTestAsync(plan, default);

        Assert.Null(next.Conflict);
        Assert.Equal("completed", _runtime.Test(id)!.State);
    }

    private Task RegisterAsync(DateTimeOffset at) => PublishAsync(new RegisterMessage("h", 1, "0", 1, at) { SentAt = at });

    private Task HeartbeatAsync(string? testId, DateTimeOffset at, long sent) =>
        PublishAsync(new HeartbeatMessage("h", testId is null ? DriverState.Idle : DriverState.Running, testId, sent, 0, null) { SentAt = at });

    private Task PublishAsync(ClusterMessage message) =>
        _driver.PublishAsync(ClusterTopic.Status, message with { DriverId = "d1", Seq = ++_seq }, default);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(20);
        }
    }
}
