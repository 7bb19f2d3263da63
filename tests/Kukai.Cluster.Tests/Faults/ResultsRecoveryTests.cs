using System.Net;
using Kukai.Cluster.Driver;
using Kukai.Cluster.Messages;
using Kukai.Cluster.Orchestration;
using Kukai.Cluster.Transport;
using Kukai.Engine.Metrics;
using Kukai.Engine.Plans;
using Kukai.Results;
using Kukai.Target;
using Kukai.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kukai.Cluster.Tests.Faults;

/// <summary>
/// Results survive the orchestrator going away at any moment: a running test has a checkpoint and no
/// <c>summary.json</c> (nothing looks complete before the end), and the next orchestrator on the same data folder
/// takes it up again, or, when none of its drivers answers, turns it into a <c>failed</c> test with what it had.
/// Leftovers of interrupted writes are cleaned up.
/// </summary>
public sealed class ResultsRecoveryTests : IDisposable
{
    private readonly TempDirectory _dataDir = new();

    public void Dispose() => _dataDir.Dispose();

    [Fact]
    public async Task StartTestAsync_OrchestratorGoneBeforeItsFirstTick_NextOneResumesItThenFailsItWhenNoDriverAnswers()
    {
        // A frozen clock: no tick runs unless the test calls it, so only what StartTestAsync itself writes is on disk.
        var time = new FrozenTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var hub = new InProcessHub();
        var first = new OrchestratorRuntime(hub.CreateTransport(), Options(), time, NullLoggerFactory.Instance);
        await first.StartAsync(default);
        await RegisterIdleDriverAsync(hub, "d1");
        await WaitUntilAsync(() => first.Drivers().Any(d => d.State == "idle"));

        var id = (await first.StartTestAsync(Plan("http://127.0.0.1:9/ping"), default)).Test!.Id;
        var folder = first.Results.Folder(id);
        Assert.True(File.Exists(folder.FilePath(ResultsRepository.CheckpointFile)), "no checkpoint when the test was created");
        Assert.True(File.Exists(folder.FilePath(ResultsRepository.ResumeFile)), "no resume state when the test was created");
        Assert.False(File.Exists(folder.FilePath(ResultsFolder.SummaryFile)), "summary.json before the test ended");

        // The first orchestrator is never stopped (a crash); the next one starts on the same data folder, on a bus
        // where the driver is not: it takes the test up, asks for its reports, and gets no answer.
        await using var second = new OrchestratorRuntime(new InProcessHub().CreateTransport(), Options(), time, NullLoggerFactory.Instance);
        await second.StartAsync(default);
        Assert.Equal("starting", second.Test(id)!.State);
        Assert.False(File.Exists(folder.FilePath(ResultsFolder.SummaryFile)));

        // Silent for a heartbeat timeout from the restart: lost; once more, in case it was only held up: given up.
        for (var i = 0; i < 2; i++)
        {
            time.Now += Options().HeartbeatTimeout + TimeSpan.FromSeconds(1);
            second.Tick();
        }

        await WaitUntilAsync(() => second.Test(id)!.State == "failed");
        var recovered = second.Test(id)!;
        Assert.Equal("failed", recovered.Verdict);
        Assert.Contains("interrupted", recovered.Reason, StringComparison.Ordinal);
        Assert.Contains("no driver of it answered", recovered.Reason, StringComparison.Ordinal);
        Assert.True(File.Exists(folder.FilePath(ResultsFolder.SummaryFile)));
        Assert.False(File.Exists(folder.FilePath(ResultsRepository.CheckpointFile)));
        Assert.False(File.Exists(folder.FilePath(ResultsRepository.ResumeFile)));
    }

    [Fact]
    public async Task StartAsync_CheckpointWithoutResumeState_TestFailedWithWhatItHeld()
    {
        // An older orchestrator's checkpoint (no resume.json): nothing to take it up with.
        var repository = new ResultsRepository(_dataDir.Path);
        var store = new TestMetricsStore(["t"]);
        store.AddDriver("d1");
        var at = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var partial = TestSummaryBuilder.Build("t1", Plan("http://127.0.0.1:9/"), "running", at, at.AddSeconds(3), ["d1"], new Dictionary<string, DateTimeOffset>(), store);
        repository.WriteCheckpoint(partial, []);

        await using var runtime = new OrchestratorRuntime(new InProcessHub().CreateTransport(), Options(), new FrozenTimeProvider(at.AddMinutes(1)), NullLoggerFactory.Instance);
        await runtime.StartAsync(default);

        var test = runtime.Test("t1")!;
        Assert.Equal("failed", test.State);
        Assert.Equal(ResultsRepository.InterruptedReason, test.Reason);
        Assert.False(File.Exists(repository.Folder("t1").FilePath(ResultsRepository.CheckpointFile)));
    }

    [Fact]
    public async Task DisposeAsync_TestRunning_CheckpointHoldsEverythingReceivedAndARestartRecoversIt()
    {
        await using var target = await TargetServer.StartAsync(new TargetOptions { HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 0) }, TimeProvider.System, null, default);
        var hub = new InProcessHub();
        using var stopDriver = new CancellationTokenSource();
        await using var driver = new DriverNode(hub.CreateTransport(), new DriverOptions { DriverId = "d1", SpoolDirectory = Path.Combine(_dataDir.Path, "spool") }, TimeProvider.System, NullLoggerFactory.Instance);
        var runtime = new OrchestratorRuntime(hub.CreateTransport(), Options(), TimeProvider.System, NullLoggerFactory.Instance);
        await runtime.StartAsync(default);
        var driverRun = driver.RunAsync(stopDriver.Token);
        await WaitUntilAsync(() => runtime.Drivers().Any(d => d.State == "idle"));
        var plan = Plan(new Uri(target.HttpAddress, "ping").ToString()) with { Type = TestType.Tsunami, Rps = 200, Requests = null, DurationSeconds = 60 };
        var id = (await runtime.StartTestAsync(plan, default)).Test!.Id;
        await WaitUntilAsync(() => runtime.Test(id)!.Stats.Aggregate.Count > 100);

        await runtime.DisposeAsync();
        var received = runtime.Test(id)!.Stats.Aggregate.Count;
        await stopDriver.CancelAsync();
        await driverRun;
        var folder = runtime.Results.Folder(id);
        Assert.False(File.Exists(folder.FilePath(ResultsFolder.SummaryFile)), "summary.json for a test that never ended");

        // On a bus where the driver is not: the test is taken up, no driver answers, and it fails with its checkpoint.
        await using var next = new OrchestratorRuntime(new InProcessHub().CreateTransport(), Options() with { HeartbeatTimeout = TimeSpan.FromSeconds(1) }, TimeProvider.System, NullLoggerFactory.Instance);
        await next.StartAsync(default);

        // Taken up: running, showing its checkpoint until the drivers' reports come back (here, never).
        var resumed = next.Test(id)!;
        Assert.Equal("running", resumed.State);
        Assert.Equal(received, resumed.Stats.Aggregate.Count);
        Assert.Equal(received, resumed.Progress["d1"].Completed);
        await WaitUntilAsync(() => next.Test(id)!.State == "failed");
        var recovered = next.Test(id)!;
        Assert.Equal(received, recovered.Stats.Aggregate.Count);
        Assert.Equal(received, folder.ReadSummary().Aggregate.Count);
    }

    [Fact]
    public async Task StartAsync_OneDriverDiedWhileTheOrchestratorWasDown_ItsReportsKeptFromTheJournal()
    {
        await using var target = await TargetServer.StartAsync(new TargetOptions { HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 0) }, TimeProvider.System, null, default);
        var hub = new InProcessHub();
        var cut = new OutageSwitch();
        using var stopDrivers = new CancellationTokenSource();
        await using var alive = new DriverNode(hub.CreateTransport(), new DriverOptions { DriverId = "d1", SpoolDirectory = Path.Combine(_dataDir.Path, "spool1") }, TimeProvider.System, NullLoggerFactory.Instance);
        await using var dying = new DriverNode(new OutageTransport(hub.CreateTransport(), cut), new DriverOptions { DriverId = "d2", SpoolDirectory = Path.Combine(_dataDir.Path, "spool2") }, TimeProvider.System, NullLoggerFactory.Instance);
        var options = Options() with { HeartbeatTimeout = TimeSpan.FromSeconds(1) };
        var previous = new OrchestratorRuntime(hub.CreateTransport(), options, TimeProvider.System, NullLoggerFactory.Instance);
        await previous.StartAsync(default);
        var runs = new[] { alive.RunAsync(stopDrivers.Token), dying.RunAsync(stopDrivers.Token) };
        await WaitUntilAsync(() => previous.Drivers().Count(d => d.State == "idle") == 2);
        var plan = Plan(new Uri(target.HttpAddress, "ping").ToString()) with { Type = TestType.Tsunami, Rps = 100, Requests = 300 };
        var id = (await previous.StartTestAsync(plan, default)).Test!.Id;
        await WaitUntilAsync(() => previous.Test(id)!.Progress["d2"].Completed > 50);

        // d2 goes silent for good (as a driver that died) and the orchestrator goes away; a new one takes the test up.
        cut.Down();
        var d2Before = previous.Test(id)!.Progress["d2"].Completed;
        await previous.DisposeAsync();
        await using var next = new OrchestratorRuntime(hub.CreateTransport(), options, TimeProvider.System, NullLoggerFactory.Instance);
        await next.StartAsync(default);
        await WaitUntilAsync(() => next.Test(id)!.State is "completed" or "failed" or "stopped");

        var test = next.Test(id)!;
        Assert.Equal("completed", test.State);
        Assert.Equal("partial", test.Verdict);
        Assert.Equal(["d2"], test.LostDrivers);
        Assert.Equal(300, test.Stats.PerDriver["d1"].Count);
        Assert.True(test.Stats.PerDriver["d2"].Count >= d2Before, $"d2 kept {test.Stats.PerDriver["d2"].Count} of the {d2Before} it had reported");
        Assert.Contains("its reports up to the restart are counted", test.Reason, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(next.Results.Folder(id).Path, ReportJournal.FileName)));
        await stopDrivers.CancelAsync();
        cut.Up();
        await Task.WhenAll(runs);
    }

    [Fact]
    public async Task FinishAsync_ResultsFolderUnwritable_TestFailedWithTheReasonAndItsNumbers()
    {
        await using var target = await TargetServer.StartAsync(new TargetOptions { HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 0) }, TimeProvider.System, null, default);
        var hub = new InProcessHub();
        using var stopDriver = new CancellationTokenSource();
        await using var driver = new DriverNode(hub.CreateTransport(), new DriverOptions { DriverId = "d1", SpoolDirectory = Path.Combine(_dataDir.Path, "spool") }, TimeProvider.System, NullLoggerFactory.Instance);
        await using var runtime = new OrchestratorRuntime(hub.CreateTransport(), Options(), TimeProvider.System, NullLoggerFactory.Instance);
        await runtime.StartAsync(default);
        var driverRun = driver.RunAsync(stopDriver.Token);
        await WaitUntilAsync(() => runtime.Drivers().Any(d => d.State == "idle"));
        var plan = Plan(new Uri(target.HttpAddress, "ping").ToString()) with { Type = TestType.Tsunami, Rps = 100, Requests = 200, RecordRequests = 0 };

        var id = (await runtime.StartTestAsync(plan, default)).Test!.Id;
        var folder = runtime.Results.Folder(id);
        Directory.Delete(folder.Path, recursive: true);
        File.WriteAllText(folder.Path, "a file where the results folder was: nothing can be written there");
        await WaitUntilAsync(() => runtime.Test(id)!.State is "completed" or "failed" or "stopped");

        var test = runtime.Test(id)!;
        Assert.Equal("failed", test.State);
        Assert.Equal("failed", test.Verdict);
        Assert.Contains("writing results failed", test.Reason, StringComparison.Ordinal);
        Assert.Equal(200, test.Stats.Aggregate.Count);
        await stopDriver.CancelAsync();
        await driverRun;
    }

    [Fact]
    public void LoadAll_ResumableTest_LeftAsItIsAndItsAcceptedUploadsFoundAgain()
    {
        var repository = new ResultsRepository(_dataDir.Path);
        var store = new TestMetricsStore(["t"]);
        store.AddDriver("d1");
        var at = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var partial = TestSummaryBuilder.Build("t1", Plan("http://127.0.0.1:9/"), "running", at, at.AddSeconds(3), ["d1", "d2"], new Dictionary<string, DateTimeOffset>(), store);
        var lostAt = at.AddSeconds(2);
        repository.WriteCheckpoint(partial, [], new ResumeState
        {
            CreatedAt = at,
            StartAt = at,
            Lost = new Dictionary<string, LostDriver> { ["d2"] = new(lostAt, "went silent", Dropped: false) },
        });
        var uploads = Path.Combine(repository.Folder("t1").Path, ResultsRepository.UploadsFolder);
        Directory.CreateDirectory(uploads);
        File.WriteAllText(Path.Combine(uploads, TestRun.UploadFileName("d1")), "accepted rows");
        File.WriteAllText(Path.Combine(uploads, "0123456789abcdef.arrow"), "half an upload");

        var (summary, interrupted, resume) = Assert.Single(repository.LoadAll(at.AddMinutes(1)));
        var run = TestRun.Resume(summary, resume!, uploads, at.AddMinutes(1));

        Assert.True(interrupted);
        Assert.Equal("running", summary.State);
        Assert.True(File.Exists(repository.Folder("t1").FilePath(ResultsRepository.CheckpointFile)));
        Assert.Equal(Path.Combine(uploads, "d1.arrow"), Assert.Single(run.Uploads).Value);
        Assert.Equal(lostAt, Assert.Single(run.LostAt).Value);
        Assert.Equal(["d1"], run.ActiveDrivers);
        Assert.False(File.Exists(repository.Folder("t1").FilePath(ResultsFolder.SummaryFile)));
    }

    [Fact]
    public void LoadAll_LeftoversOfAnInterruptedWrite_RemovedAndTheSummaryKept()
    {
        var repository = new ResultsRepository(_dataDir.Path);
        var store = new TestMetricsStore(["t"]);
        store.AddDriver("d1");
        var at = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var summary = TestSummaryBuilder.Build("t1", Plan("http://127.0.0.1:9/"), TestSummaryBuilder.Completed, at, at.AddSeconds(3), ["d1"], new Dictionary<string, DateTimeOffset>(), store);
        var folder = repository.Folder("t1");
        repository.WriteCheckpoint(summary with { State = "running" }, []);
        folder.WriteSummary(summary);
        File.WriteAllText(folder.FilePath(".summary.json.123.0123456789abcdef.tmp"), "{ \"testId\": \"t1\", \"sta");
        Directory.CreateDirectory(Path.Combine(folder.Path, ".uploads"));
        File.WriteAllText(Path.Combine(folder.Path, ".uploads", "x.arrow"), "partial");

        var loaded = repository.LoadAll(at.AddMinutes(1));

        var (only, interrupted, resume) = Assert.Single(loaded);
        Assert.Null(resume);
        Assert.False(interrupted);
        Assert.Equal("completed", only.State);
        Assert.Equal([ResultsFolder.SummaryFile, ResultsFolder.TimeseriesFile], Directory.EnumerateFileSystemEntries(folder.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Write_WriterFailsMidway_PreviousFileUntouchedAndNoTemporaryLeft()
    {
        var path = Path.Combine(_dataDir.Path, "summary.json");
        File.WriteAllText(path, "previous");

        var error = Assert.Throws<IOException>(() => AtomicFile.Write(path, s =>
        {
            s.Write("half of a new summary"u8);
            throw new IOException("No space left on device");
        }));

        Assert.Equal("No space left on device", error.Message);
        Assert.Equal("previous", File.ReadAllText(path));
        Assert.Equal([path], Directory.EnumerateFiles(_dataDir.Path));
    }

    [Fact]
    public void Create_ExistingFolderNotWritable_ThrowsIOExceptionNamingIt()
    {
        // /proc/self exists and takes no new files, even for root (tests run as root, where permissions do not bite).
        var folder = new ResultsFolder("/proc/self");

        var error = Assert.Throws<IOException>(folder.Create);

        Assert.StartsWith("cannot write in results folder /proc/self: ", error.Message, StringComparison.Ordinal);
    }

    private OrchestratorOptions Options() => new() { DataDir = _dataDir.Path, StartDelay = TimeSpan.FromMilliseconds(300) };

    private static LoadPlan Plan(string url) => new() { Requests = 10, Targets = [new TargetPlan { Url = url }] };

    private static async Task RegisterIdleDriverAsync(InProcessHub hub, string id)
    {
        var transport = hub.CreateTransport();
        await transport.PublishAsync(ClusterTopic.Status, new RegisterMessage("h", 1, "0", 1, DateTimeOffset.UnixEpoch) { DriverId = id, Seq = 1 }, default);
        await transport.PublishAsync(ClusterTopic.Status, new HeartbeatMessage("h", DriverState.Idle, null, 0, 0, null) { DriverId = id, Seq = 2 }, default);
    }

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
