using System.Collections.Concurrent;
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
/// Drivers outlive the orchestrator that started their test: a release that comes while the test still runs (it
/// ended without them, or a new orchestrator gave up on it) does not break them, and a restarted orchestrator takes up
/// a test its predecessor left running: the drivers send their reports again, and the results are exact.
/// </summary>
public sealed class InterruptedTestTests : IAsyncLifetime
{
    private readonly InProcessHub _hub = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TempDirectory _dataDir = new();
    private TargetServer _target = null!;
    private DriverNode _driver = null!;
    private Task _driverRun = null!;

    public async Task InitializeAsync()
    {
        _target = await TargetServer.StartAsync(new TargetOptions { HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 0) }, TimeProvider.System, null, default);
        _driver = new DriverNode(_hub.CreateTransport(), new DriverOptions { DriverId = "d1", SpoolDirectory = Path.Combine(_dataDir.Path, "spool") }, TimeProvider.System, NullLoggerFactory.Instance);
        _driverRun = _driver.RunAsync(_stop.Token);
        await _driver.Ready.WaitAsync(TimeSpan.FromSeconds(10));
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _driverRun;
        await _driver.DisposeAsync();
        await _target.DisposeAsync();
        _dataDir.Dispose();
    }

    [Fact]
    public async Task RunAsync_ReleasedWhileItsTestRuns_FinishesTheTestAndBecomesIdle()
    {
        var status = new ConcurrentQueue<ClusterMessage>();
        var control = _hub.CreateTransport();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reader = control.ConsumeAsync(new ClusterSubscription([ClusterTopic.Status, ClusterTopic.Metrics], null), (m, _) =>
        {
            status.Enqueue(m);
            return Task.CompletedTask;
        }, started, _stop.Token);
        await started.Task;
        var plan = LongPlan() with { DurationSeconds = 3 };

        await control.PublishAsync(ClusterTopic.Control, new StartMessage(plan, ["d1"], DateTimeOffset.UtcNow, null) { TestId = "t1" }, default);
        await WaitUntilAsync(() => status.OfType<ReportMessage>().Any(r => r.TestId == "t1"));
        await control.PublishAsync(ClusterTopic.Control, new ReleaseMessage { TestId = "t1" }, default);
        await WaitUntilAsync(() => status.OfType<FinishedMessage>().Any(f => f.TestId == "t1"));

        var finished = status.OfType<FinishedMessage>().Single(f => f.TestId == "t1");
        Assert.Null(finished.Error);
        Assert.Equal(_target.Counters.RequestsReceived, finished.Totals.Sum(t => t.Count));
        await WaitUntilAsync(() => _driver.RunningTestId is null);
    }

    [Fact]
    public async Task RunAsync_StopRightBehindTheStart_TestStoppedAtOnce()
    {
        var status = new ConcurrentQueue<ClusterMessage>();
        var control = _hub.CreateTransport();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = control.ConsumeAsync(new ClusterSubscription([ClusterTopic.Status], null), (m, _) =>
        {
            status.Enqueue(m);
            return Task.CompletedTask;
        }, started, _stop.Token);
        await started.Task;

        // Back to back, as a bus delivers a start and a stop queued during an outage.
        await control.PublishAsync(ClusterTopic.Control, new StartMessage(LongPlan(), ["d1"], DateTimeOffset.UtcNow, null) { TestId = "t1" }, default);
        await control.PublishAsync(ClusterTopic.Control, new StopMessage { TestId = "t1" }, default);
        await WaitUntilAsync(() => status.OfType<FinishedMessage>().Any(f => f.TestId == "t1"));

        var finished = status.OfType<FinishedMessage>().Single(f => f.TestId == "t1");
        Assert.True(finished.Stopped);
        Assert.Null(finished.Error);
    }

    [Fact]
    public async Task StartAsync_PreviousOrchestratorLeftATestRunning_ResumesItWithExactResultsAndTheDriverRunsTheNextTest()
    {
        var options = new OrchestratorOptions { DataDir = _dataDir.Path, StartDelay = TimeSpan.FromMilliseconds(300) };
        string interrupted;
        await using (var previous = new OrchestratorRuntime(_hub.CreateTransport(), options, TimeProvider.System, NullLoggerFactory.Instance))
        {
            await previous.StartAsync(default);
            await WaitUntilAsync(() => previous.Drivers().Any(d => d.State == "idle"));
            interrupted = (await previous.StartTestAsync(LongPlan() with { DurationSeconds = null, Requests = 400 }, default)).Test!.Id;
            await WaitUntilAsync(() => previous.Test(interrupted)!.Stats.Aggregate.Count > 50);
        }

        // Reports sent while no orchestrator listened are not on the in-process bus: only the driver's replay has them.
        await using var next = new OrchestratorRuntime(_hub.CreateTransport(), options with { OrchestratorId = "next" }, TimeProvider.System, NullLoggerFactory.Instance);
        await next.StartAsync(default);
        Assert.Contains(next.Test(interrupted)!.State, new[] { "starting", "running" });

        await WaitUntilAsync(() => next.Test(interrupted)!.State is "completed" or "failed" or "stopped");
        var resumed = next.Test(interrupted)!;
        Assert.True(resumed.State == "completed", resumed.Reason);
        Assert.Null(resumed.Reason);
        Assert.Equal(400, resumed.Stats.Aggregate.Count);
        Assert.Equal(_target.Counters.RequestsReceived, resumed.Stats.Aggregate.Count);
        var folder = next.Results.Folder(interrupted);
        Assert.Equal(400, folder.ReadSummary().Aggregate.Count);
        Assert.False(File.Exists(folder.FilePath(ResultsRepository.CheckpointFile)));
        Assert.False(File.Exists(folder.FilePath(ResultsRepository.ResumeFile)));

        await WaitUntilAsync(() => next.Drivers().Any(d => d is { Id: "d1", State: "idle" }));
        var id = (await next.StartTestAsync(LongPlan() with { DurationSeconds = null, Requests = 100 }, default)).Test!.Id;
        await WaitUntilAsync(() => next.Test(id)!.State is "completed" or "failed" or "stopped");
        Assert.Equal("completed", next.Test(id)!.State);
        Assert.Equal(100, next.Test(id)!.Stats.Aggregate.Count);
    }

    private LoadPlan LongPlan() => new()
    {
        Type = TestType.Tsunami,
        Rps = 100,
        DurationSeconds = 60,
        RecordRequests = 0,
        Targets = [new TargetPlan { Url = new Uri(_target.HttpAddress, "ping").ToString() }],
    };

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
