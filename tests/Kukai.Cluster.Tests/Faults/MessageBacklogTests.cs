using Kukai.Cluster.Messages;
using Kukai.Cluster.Orchestration;
using Kukai.Cluster.Transport;
using Kukai.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kukai.Cluster.Tests.Faults;

/// <summary>
/// An orchestrator behind on its messages (overloaded, or catching up after a pause) reads heartbeats seconds after
/// they were written. That is its own lateness, not its drivers' silence: a driver is lost only once the orchestrator
/// has read past the driver's last message by the heartbeat timeout. A driver that stops is still found.
/// </summary>
public sealed class MessageBacklogTests : IAsyncLifetime
{
    private static readonly TimeSpan HeartbeatTimeout = TimeSpan.FromSeconds(3);
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private readonly InProcessHub _hub = new();
    private readonly FrozenTimeProvider _clock = new(T0);
    private readonly TempDirectory _dataDir = new();
    private OrchestratorRuntime _runtime = null!;
    private IClusterTransport _drivers = null!;
    private long _seq;

    public async Task InitializeAsync()
    {
        var options = new OrchestratorOptions { DataDir = _dataDir.Path, HeartbeatTimeout = HeartbeatTimeout };
        _runtime = new OrchestratorRuntime(_hub.CreateTransport(), options, _clock, NullLoggerFactory.Instance);
        await _runtime.StartAsync(default);
        _drivers = _hub.CreateTransport();
        foreach (var id in new[] { "d1", "d2" })
        {
            await PublishAsync(id, new RegisterMessage("h", 1, "0", 1, T0) { SentAt = T0 });
            await HeartbeatAsync(id, T0, sent: 0);
        }

        await WaitUntilAsync(() => _runtime.Drivers().Count == 2);
    }

    public async Task DisposeAsync()
    {
        await _runtime.DisposeAsync();
        _dataDir.Dispose();
    }

    [Fact]
    public async Task Tick_ReadingOldMessages_DriverLostOnlyOnceTheStreamPassedItsLastMessage()
    {
        // Ten seconds on, the orchestrator reads d2's heartbeat written at T0+1 s: it is behind, and has not read
        // anything d1 wrote after T0 + 1 s either. d1 is not lost yet.
        _clock.Now = T0.AddSeconds(10);
        await HeartbeatAsync("d2", T0.AddSeconds(1), sent: 1);
        await WaitUntilAsync(() => State("d2").Sent == 1);
        _runtime.Tick();
        Assert.Equal(["idle", "idle"], _runtime.Drivers().OrderBy(d => d.Id).Select(d => d.State));

        // Now it reads d2's heartbeat of T0+5 s: d1 wrote nothing for more than the timeout before that.
        await HeartbeatAsync("d2", T0.AddSeconds(5), sent: 2);
        await WaitUntilAsync(() => State("d2").Sent == 2);
        _runtime.Tick();
        Assert.Equal("lost", State("d1").State);
        Assert.Equal("idle", State("d2").State);
    }

    [Fact]
    public async Task Tick_NothingMoreToRead_SilentDriversLostAfterTheTimeout()
    {
        _clock.Now = T0.AddSeconds(2);
        _runtime.Tick();
        Assert.All(_runtime.Drivers(), d => Assert.Equal("idle", d.State));

        _clock.Now = T0.AddSeconds(4);
        _runtime.Tick();
        Assert.All(_runtime.Drivers(), d => Assert.Equal("lost", d.State));
    }

    private DriverInfo State(string id) => _runtime.Drivers().Single(d => d.Id == id);

    private Task HeartbeatAsync(string id, DateTimeOffset at, long sent) =>
        PublishAsync(id, new HeartbeatMessage("h", DriverState.Idle, null, sent, 0, null) { SentAt = at });

    private Task PublishAsync(string id, ClusterMessage message) =>
        _drivers.PublishAsync(ClusterTopic.Status, message with { DriverId = id, Seq = ++_seq }, default);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(10);
        }
    }
}
