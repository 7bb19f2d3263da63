using System.Net;
using Kukai.Cluster.Driver;
using Kukai.Cluster.Orchestration;
using Kukai.Cluster.Transport;
using Kukai.Engine.Plans;
using Kukai.Target;
using Kukai.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

using Kukai.Cluster.Tests.Faults;

namespace Kukai.Cluster.Tests.Orchestration;

/// <summary>
/// The orchestrator runtime and driver nodes over the in-process transport against a real target: the runtime's
/// behaviour without Kafka (the Kafka path is covered by the process-level tests).
/// </summary>
public sealed class InProcessClusterTests : IAsyncLifetime
{
    private readonly InProcessHub _hub = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(DriverNode Node, Task Run)> _drivers = [];
    private readonly TempDirectory _dataDir = new();
    private OrchestratorRuntime _runtime = null!;
    private TargetServer _target = null!;

    public async Task InitializeAsync()
    {
        _target = await TargetServer.StartAsync(new TargetOptions { HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 0) }, TimeProvider.System, null, default);
        _runtime = new OrchestratorRuntime(_hub.CreateTransport(), new OrchestratorOptions { DataDir = _dataDir.Path, StartDelay = TimeSpan.FromMilliseconds(500) }, TimeProvider.System, NullLoggerFactory.Instance);
        await _runtime.StartAsync(default);
    }

    public async Task DisposeAsync()
    {
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

    [Theory]
    [InlineData(TestType.Tsunami, 2)]
    [InlineData(TestType.Avalanche, 3)]
    public async Task StartTest_SeveralDrivers_CountsReconcileWithTargetAndPlan(TestType type, int drivers)
    {
        await StartDriversAsync(drivers);
        var plan = new LoadPlan
        {
            Type = type,
            DelayMs = type == TestType.Tsunami ? 2 : null,
            Concurrency = type == TestType.Avalanche ? 4 : null,
            Requests = 300,
            Targets = [new TargetPlan { Url = new Uri(_target.HttpAddress, "ping").ToString() }],
        };

        var outcome = await _runtime.StartTestAsync(plan, default);
        Assert.Null(outcome.Conflict);
        var done = await WaitForEndAsync(outcome.Test!.Id);

        Assert.Equal("completed", done.State);
        Assert.Equal("passed", done.Verdict);
        Assert.Equal(300L * drivers, done.Stats.Aggregate.Count);
        Assert.Equal(_target.Counters.RequestsReceived, done.Stats.Aggregate.Sent);
        Assert.Equal(_target.Counters.RequestsReceived, done.Stats.Aggregate.Count);
        Assert.All(done.Stats.PerDriver.Values, d => Assert.Equal(300, d.Count));
        Assert.All(done.Progress.Values, p => Assert.Equal(300, p.Completed));
        var series = _runtime.Timeseries(done.Id)!.Value;
        Assert.Equal(300L * drivers, series.Rows.Sum(r => r.Completed));
        Assert.True(File.Exists(Path.Combine(_dataDir.Path, "results", done.Id, "summary.json")));
        Assert.True(File.Exists(Path.Combine(_dataDir.Path, "results", done.Id, "timeseries.csv")));
    }

    [Fact]
    public async Task StartTest_NoDrivers_RefusedWithAReason()
    {
        var outcome = await _runtime.StartTestAsync(new LoadPlan { Requests = 1, Targets = [new TargetPlan { Url = "http://127.0.0.1:1/" }] }, default);

        Assert.Null(outcome.Test);
        Assert.Contains("no idle drivers", outcome.Conflict, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartTest_DriverUploadRefused_EndsWithoutWaitingTheUploadTimeoutAndSaysTheRowsAreMissing()
    {
        // The target answers the upload's PUT with a 404: the driver gives up at once and says so in its end message.
        _runtime.UploadBaseUrl = _target.HttpAddress;
        await StartDriversAsync(1);
        var plan = new LoadPlan { Requests = 20, Targets = [new TargetPlan { Url = new Uri(_target.HttpAddress, "ping").ToString() }] };
        var id = (await _runtime.StartTestAsync(plan, default)).Test!.Id;

        // Well inside the 60 s the orchestrator gives an upload that may still come.
        await WaitUntilAsync(() => _runtime.Test(id)?.State is "completed" or "failed" or "stopped", TimeSpan.FromSeconds(30));
        var done = _runtime.Test(id)!;

        Assert.Equal("completed", done.State);
        Assert.Equal(20, done.Stats.Aggregate.Count);
        Assert.Contains("per-request rows were not uploaded", done.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopTest_Running_StoppedWithResultsSoFar()
    {
        await StartDriversAsync(1);
        var plan = new LoadPlan
        {
            Type = TestType.Tsunami,
            Rps = 200,
            DurationSeconds = 60,
            Targets = [new TargetPlan { Url = new Uri(_target.HttpAddress, "ping").ToString() }],
        };
        var id = (await _runtime.StartTestAsync(plan, default)).Test!.Id;
        await WaitUntilAsync(() => _runtime.Test(id)!.Stats.Aggregate.Count > 100);

        var stopping = await _runtime.StopTestAsync(id);
        var done = await WaitForEndAsync(id);
        var again = await _runtime.StopTestAsync(id);

        Assert.False(stopping!.Value.Ended);
        Assert.Equal("stopped", done.State);
        Assert.True(done.Stats.Aggregate.Count > 100);
        Assert.True(done.DurationSeconds < 30);
        Assert.Equal(_target.Counters.RequestsReceived, done.Stats.Aggregate.Count);
        Assert.True(again!.Value.Ended); // nothing left to stop: the API answers 409
        Assert.Equal("stopped", again.Value.View.State);
        Assert.Null(await _runtime.StopTestAsync("no-such-test"));
    }

    [Fact]
    public async Task Driver_ClockAMinuteAheadGoesSilent_LostAfterTheHeartbeatTimeoutNotAMinuteLater()
    {
        // Its messages carry send times on the orchestrator's clock, so the minute its own clock is ahead does not keep
        // it "heard from" after it stopped, while another driver keeps the stream moving (the heartbeat timeout is 5 s).
        await StartDriversAsync(1);
        using var stop = new CancellationTokenSource();
        var cut = new OutageSwitch();
        var node = new DriverNode(new OutageTransport(_hub.CreateTransport(), cut), new DriverOptions { DriverId = "ahead" }, new ShiftedTimeProvider(TimeSpan.FromMinutes(1)), NullLoggerFactory.Instance);
        var run = node.RunAsync(stop.Token);
        await node.Ready.WaitAsync(TimeSpan.FromSeconds(10));
        await WaitUntilAsync(() => _runtime.Drivers().Any(d => d.Id == "ahead" && d.State == "idle"));
        await WaitUntilAsync(() => Math.Abs(node.ClockOffset.TotalSeconds + 60) < 1); // its probes measured the minute

        // Silent from now on, as a dead driver: not even its goodbye gets through.
        cut.Down();
        await stop.CancelAsync();
        await run;
        await node.DisposeAsync();

        await WaitUntilAsync(() => _runtime.Drivers().Single(d => d.Id == "ahead").State == "lost", TimeSpan.FromSeconds(30));
        Assert.Equal("idle", _runtime.Drivers().Single(d => d.Id == "d0").State);
    }

    [Fact]
    public async Task Driver_ShutsDownCleanly_LeavesTheListInsteadOfBeingLost()
    {
        await StartDriversAsync(1);
        using var stop = new CancellationTokenSource();
        var node = new DriverNode(_hub.CreateTransport(), new DriverOptions { DriverId = "leaving" }, TimeProvider.System, NullLoggerFactory.Instance);
        var run = node.RunAsync(stop.Token);
        await node.Ready.WaitAsync(TimeSpan.FromSeconds(10));
        await WaitUntilAsync(() => _runtime.Drivers().Any(d => d.Id == "leaving" && d.State == "idle"));

        await stop.CancelAsync();
        await run;
        await node.DisposeAsync();

        await WaitUntilAsync(() => _runtime.Drivers().All(d => d.Id != "leaving"));
        Assert.Equal("idle", _runtime.Drivers().Single(d => d.Id == "d0").State);
    }

    [Fact]
    public async Task StartTest_DriverClockAMinuteAhead_DurationAndRateOnTheOrchestratorsClock()
    {
        // The driver schedules the test by its measured offset and reports its start and end on its own clock; the
        // test's duration (and so its rate) is the schedule's 1 s, not the minute between the two clocks.
        using var stop = new CancellationTokenSource();
        var node = new DriverNode(_hub.CreateTransport(), new DriverOptions { DriverId = "ahead" }, new ShiftedTimeProvider(TimeSpan.FromMinutes(1)), NullLoggerFactory.Instance);
        var run = node.RunAsync(stop.Token);
        await node.Ready.WaitAsync(TimeSpan.FromSeconds(10));
        await WaitUntilAsync(() => _runtime.Drivers().Any(d => d.Id == "ahead" && d.State == "idle") && Math.Abs(node.ClockOffset.TotalSeconds + 60) < 1);
        var plan = new LoadPlan
        {
            Type = TestType.Tsunami,
            Rps = 200,
            DurationSeconds = 1,
            Targets = [new TargetPlan { Url = new Uri(_target.HttpAddress, "ping").ToString() }],
        };

        var done = await WaitForEndAsync((await _runtime.StartTestAsync(plan, default)).Test!.Id);
        await stop.CancelAsync();
        await run;
        await node.DisposeAsync();

        // At least the schedule's second; more only by as much as the start reached the driver late on a busy machine.
        // Taken on the driver's clock, it was a minute longer.
        Assert.Equal("completed", done.State);
        Assert.Equal(200, done.Stats.Aggregate.Count);
        Assert.InRange(done.DurationSeconds, 0.99, 10);
        Assert.InRange(done.Stats.Aggregate.Rps, 200 / 10.0, 200 / 0.99);
    }

    // The system clock moved by a fixed amount: a machine whose clock is off.
    private sealed class ShiftedTimeProvider(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;
    }

    private async Task StartDriversAsync(int n)
    {
        for (var i = 0; i < n; i++)
        {
            var node = new DriverNode(_hub.CreateTransport(), new DriverOptions { DriverId = $"d{i}" }, TimeProvider.System, NullLoggerFactory.Instance);
            _drivers.Add((node, node.RunAsync(_stop.Token)));
            await node.Ready.WaitAsync(TimeSpan.FromSeconds(10));
        }

        await WaitUntilAsync(() => _runtime.Drivers().Count(d => d.State == "idle") >= n);
    }

    private async Task<TestView> WaitForEndAsync(string id)
    {
        await WaitUntilAsync(() => _runtime.Test(id)?.State is "completed" or "failed" or "stopped", TimeSpan.FromSeconds(60));
        return _runtime.Test(id)!;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("condition not met in time");
            }

            await Task.Delay(20);
        }
    }
}
