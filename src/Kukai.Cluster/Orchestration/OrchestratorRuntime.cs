using System.Globalization;
using System.Threading.Channels;
using Kukai.Cluster.Logging;
using Kukai.Cluster.Messages;
using Kukai.Cluster.Transport;
using Kukai.Engine.Execution;
using Kukai.Engine.Metrics;
using Kukai.Engine.Plans;
using Kukai.Results;
using Kukai.Results.Arrow;
using Microsoft.Extensions.Logging;

namespace Kukai.Cluster.Orchestration;

/// <summary>
/// The orchestrator's runtime controller and metrics store (SPEC §5, §7): the driver registry with heartbeats and
/// loss detection, the test state machine with a synchronised start, exact merges of every driver's reports, and
/// the results on disk. Web-free: the HTTP API calls into it.
/// </summary>
/// <remarks>
/// Thread-safety: one lock guards registry and tests. Messages arrive one at a time from the transport, which
/// decodes them; the handler decodes reports' histograms too (off the lock) and queues them, in order, for one
/// applying loop: with thousands of drivers, decoding and merging run on two cores. API calls and the tick (four
/// times a second) come from other threads. File writing happens outside the lock.
/// A test ends (see <see cref="Tick"/>) when:
/// <list type="number">
/// <item>every driver still in it has sent <see cref="FinishedMessage"/>;</item>
/// <item>every report 1..N it announced was applied (missing ones are asked for again, for a while);</item>
/// <item>its per-request rows were uploaded (or the upload timeout passed).</item>
/// </list>
/// A driver is lost when it is silent for the heartbeat timeout while the bus works. When the orchestrator's own
/// transport cannot reach the bus, silence proves nothing: loss detection is suspended, and once the bus is back the
/// drivers get a full timeout again, counted from the first message received after the outage (or from the
/// reconnection, when none comes). Their queued reports then arrive, so an outage delays a test, it does not cut it.
/// </remarks>
public sealed class OrchestratorRuntime : IAsyncDisposable
{
    private const string ConsumerGroup = "kukai-orchestrator";
    // Four times a second: a silent driver is lost within a quarter of a second of its heartbeat timeout.
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ResendInterval = TimeSpan.FromSeconds(2);

    // Messages decoded and waiting to be applied: a few seconds of reports from ten thousand drivers. When the applying
    // loop falls that far behind, the transport's reading waits (Kafka keeps the rest).
    private const int InboundCapacity = 65_536;

    // Finished tests whose counters stay in memory (full per-driver series, fast extra percentiles); older ones read files.
    private const int RecentStores = 10;

    // A driver's acknowledged clock offset beyond this is not believed (its end time is then taken as it is).
    private static readonly TimeSpan MaxClockOffset = TimeSpan.FromDays(1);

    private readonly IClusterTransport _transport;
    private readonly OrchestratorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ResultsRepository _results;
    private readonly Lock _sync = new();
    private readonly Dictionary<string, DriverEntry> _drivers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TestRun> _active = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TestSummary> _finished = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TestMetricsStore> _recentStores = new(StringComparer.Ordinal);
    private readonly Queue<string> _recentOrder = new(); // _recentStores' keys, oldest first
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _background = [];
    private readonly GarbagePacer _garbage = new(GarbagePacer.DefaultThresholdBytes);
    private readonly Channel<Inbound> _inbound = Channel.CreateBounded<Inbound>(
        new BoundedChannelOptions(InboundCapacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
    private Task _consumer = Task.CompletedTask;
    private Task _applier = Task.CompletedTask;
    private ITimer? _tick;
    private DateTimeOffset _lastCheckpoint;
    private Task _checkpointing = Task.CompletedTask;
    private long _checkpointIntervalTicks = CheckpointInterval.Ticks;
    private string? _lastTestId;

    // Bus outages as the tick sees them (under _sync): since when the transport is disconnected, when it reconnected,
    // and from when silence counts again. _lastMessageAtTicks (UTC ticks of the last message read) and
    // _newestSentAtTicks (the newest send time among the messages read) are written by the consumer thread.
    private DateTimeOffset? _outageSince;
    private DateTimeOffset? _reconnectedAt;
    private DateTimeOffset _silenceCountsFrom = DateTimeOffset.MinValue;
    private long _lastMessageAtTicks;
    private long _newestSentAtTicks;

    public OrchestratorRuntime(IClusterTransport transport, OrchestratorOptions options, TimeProvider time, ILoggerFactory loggerFactory)
    {
        _transport = transport;
        _options = options;
        _time = time;
        _logger = loggerFactory.CreateLogger<OrchestratorRuntime>();
        _results = new ResultsRepository(options.DataDir);
    }

    public string OrchestratorId => _options.OrchestratorId;

    public TransportStatus TransportStatus => _transport.Status;

    public ResultsRepository Results => _results;

    public DateTimeOffset StartedAt { get; private set; }

    /// <summary>
    /// Where drivers upload per-request rows (told in each start message): the HTTP server's address, set once it is
    /// bound. Null: rows are not collected.
    /// </summary>
    public Uri? UploadBaseUrl { get; set; }

    /// <summary>The Kafka bootstrap servers, for <c>/api/health</c>.</summary>
    public string? KafkaBootstrap => _options.KafkaBootstrap;

    /// <summary>
    /// Loads earlier results, starts reading the bus, greets drivers so they register, and takes up the test a
    /// previous orchestrator on this data folder left running: its drivers send their reports again, so its results
    /// are as exact as if nothing had happened. A test without the state to resume it (an older orchestrator's) is
    /// stopped and becomes a failed result with what its checkpoint held.
    /// </summary>
    public async Task StartAsync(CancellationToken ct)
    {
        StartedAt = _time.GetUtcNow();
        _results.EnsureWritable();
        var interruptedTests = new List<string>();
        var resumed = new List<TestRun>();
        foreach (var (summary, interrupted, resume) in _results.LoadAll(StartedAt))
        {
            if (resume is not null && _active.Count == 0)
            {
                var folder = _results.Folder(summary.TestId).Path;
                var run = TestRun.Resume(summary, resume, Path.Combine(folder, ResultsRepository.UploadsFolder), StartedAt);
                lock (_sync)
                {
                    // What this orchestrator's predecessor applied, first: a driver that died meanwhile keeps its reports.
                    foreach (var report in ReportJournal.Read(folder))
                    {
                        if (Decode(report) is { } counters)
                        {
                            ApplyReport(run, report, counters);
                        }
                    }

                    run.Journal = ReportJournal.Open(folder);
                }

                _active[run.Id] = run;
                resumed.Add(run);
                ClusterLog.TestResumed(_logger, run.Id, run.Drivers.Count - run.LostAt.Count);
                continue;
            }

            var loaded = resume is null ? summary : _results.FailInterrupted(summary, StartedAt, ResultsRepository.InterruptedReason);
            if (interrupted)
            {
                ClusterLog.TestInterrupted(_logger, summary.TestId);
                interruptedTests.Add(summary.TestId);
            }

            _finished[loaded.TestId] = loaded;
        }

        _lastTestId = resumed.FirstOrDefault()?.Id ?? _finished.Values.OrderBy(s => s.StartedAt).LastOrDefault()?.TestId;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _applier = Task.Run(ApplyInboundAsync, CancellationToken.None);
        _consumer = _transport.ConsumeAsync(new ClusterSubscription([ClusterTopic.Status, ClusterTopic.Metrics], ConsumerGroup), OnMessageAsync, started, _stop.Token);
        await Task.WhenAny(started.Task, _consumer, Task.Delay(Timeout.InfiniteTimeSpan, ct)).ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
        await PublishAsync(new HelloMessage(), ct).ConfigureAwait(false);

        // Drivers still running a test the previous orchestrator left behind would run it to its end for nobody,
        // busy all the while: stop it and let them drop its reports.
        foreach (var testId in interruptedTests)
        {
            await PublishAsync(new StopMessage { TestId = testId }, ct).ConfigureAwait(false);
            await PublishAsync(new ReleaseMessage { TestId = testId }, ct).ConfigureAwait(false);
        }

        foreach (var run in resumed)
        {
            if (run.StopRequested)
            {
                await PublishAsync(new StopMessage { TestId = run.Id }, ct).ConfigureAwait(false);
            }

            foreach (var resend in AskToReplay(run, StartedAt))
            {
                await PublishAsync(resend, ct).ConfigureAwait(false);
            }
        }

        _tick = _time.CreateTimer(_ => Tick(), null, TickInterval, TickInterval);
    }

    public async ValueTask DisposeAsync()
    {
        _tick?.Dispose();
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _consumer.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        // What was read is applied before the last checkpoints (the transport has committed past it).
        _inbound.Writer.TryComplete();
        await _applier.ConfigureAwait(false);

        Task checkpointing;
        lock (_sync)
        {
            checkpointing = _checkpointing;
        }

        await checkpointing.ConfigureAwait(false);
        Task[] pending;
        lock (_sync)
        {
            pending = [.. _background];

            // Stopping with tests in progress: their checkpoints get everything received so far (a restart marks
            // them failed with it), rather than what the last periodic checkpoint held.
            var now = _time.GetUtcNow();
            foreach (var run in _active.Values.Where(r => !r.Finalizing && !r.Recovering))
            {
                Checkpoint(run, now);
            }

            foreach (var run in _active.Values)
            {
                run.Journal?.Dispose(); // flushed: the next orchestrator reads it
            }
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
        _stop.Dispose();
    }

    // ---- API ----

    public IReadOnlyList<DriverInfo> Drivers()
    {
        var now = _time.GetUtcNow();
        lock (_sync)
        {
            return [.. _drivers.Values.OrderBy(d => d.Id, StringComparer.Ordinal).Select(d => d.ToInfo(now))];
        }
    }

    /// <summary>
    /// Starts a test on idle drivers: <c>plan.Drivers</c> of them, or all. Refused (a conflict) when a test is
    /// running or too few drivers are idle. The plan must be valid.
    /// </summary>
    public async Task<StartTestOutcome> StartTestAsync(LoadPlan plan, CancellationToken ct)
    {
        TestRun run;
        var now = _time.GetUtcNow();
        lock (_sync)
        {
            if (_active.Count > 0)
            {
                return StartTestOutcome.Refused($"test {_active.Keys.First()} is running; stop it or wait for it to end");
            }

            var idle = _drivers.Values.Where(d => d is { Lost: false, TestId: null, ReportedState: DriverState.Idle })
                .OrderBy(d => d.Id, StringComparer.Ordinal).ToList();
            var wanted = plan.Drivers ?? idle.Count;
            if (idle.Count == 0)
            {
                return StartTestOutcome.Refused($"no idle drivers ({_drivers.Count} registered): start one with 'kukai driver'");
            }

            if (wanted > idle.Count)
            {
                return StartTestOutcome.Refused($"the plan asks for {wanted} drivers and {idle.Count} are idle");
            }

            var chosen = idle.Take(wanted).ToList();
            var id = TestIds.New(_time);
            run = new TestRun(id, plan, [.. chosen.Select(d => d.Id)], now, now + _options.StartDelay);
            foreach (var d in chosen)
            {
                d.TestId = id;
                d.Sent = d.Completed = 0;
            }

            run.Journal = ReportJournal.Open(_results.Folder(id).Path);
            _active[id] = run;
            _lastTestId = id;
            ClusterLog.TestTransition(_logger, id, "created", run.State.ToWireName());

            // On disk from the first moment: if this process dies before the first tick, a restart still finds the
            // test (and marks it failed) instead of forgetting a test the drivers ran.
            Checkpoint(run, now);
        }

        var start = new StartMessage(plan, run.Drivers, run.StartAt, UploadBaseUrl?.ToString()) { TestId = run.Id };
        try
        {
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
            bounded.CancelAfter(_options.StartDelay);
            await PublishAsync(start, bounded.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ClusterTransportException)
        {
            var why = ex is OperationCanceledException
                ? $"the message bus did not accept it within {_options.StartDelay.TotalSeconds:0.#} s ({_transport.Status.Detail})"
                : ex.Message;
            lock (_sync)
            {
                run.Reason = $"the start could not be sent to the drivers: {why}";
                BeginFinalize(run, TestState.Failed, _time.GetUtcNow());
            }

            // The bus client may still deliver the start once it can (Kafka keeps it queued for a while): a stop right
            // behind it keeps the drivers from running a test that already failed.
            _ = PublishBestEffortAsync(new StopMessage { TestId = run.Id });
        }

        lock (_sync)
        {
            return StartTestOutcome.Created(View(run, StatsOf(run, now, 0, null)));
        }
    }

    /// <summary>
    /// Stops a running test (results so far are kept). Null: no such test; <c>Ended</c>: it had already ended, and
    /// nothing was done. The stop is recorded at once and published without waiting for Kafka longer than a few
    /// seconds (an outage must not hang the caller; the producer keeps the message and the stuck-stop rule covers
    /// drivers that never see it).
    /// </summary>
    public async Task<(TestView View, bool Ended)?> StopTestAsync(string id)
    {
        TestRun? run;
        lock (_sync)
        {
            if (!_active.TryGetValue(id, out run))
            {
                return _finished.TryGetValue(id, out var done) ? (FinishedView(done, null), true) : null;
            }

            if (!run.StopRequested)
            {
                run.StopRequested = true;
                run.StopRequestedAt = _time.GetUtcNow();
            }
        }

        await PublishBestEffortAsync(new StopMessage { TestId = id }).ConfigureAwait(false);
        return (ViewOf(run, null), false);
    }

    /// <summary>
    /// A test's view, null when there is none. Extra <paramref name="percentiles"/> come from its counters while they
    /// are in memory, and for older finished tests from their <c>histograms.json</c>; when neither is there (a test
    /// written before the file existed, or a damaged file) the view has none (<see cref="LatencySummary.Percentiles"/> null).
    /// </summary>
    public TestView? Test(string id, IReadOnlyList<double>? percentiles = null)
    {
        TestRun? run;
        TestSummary? finished;
        lock (_sync)
        {
            if (_active.TryGetValue(id, out run))
            {
                finished = null;
            }
            else if (!_finished.TryGetValue(id, out finished))
            {
                return null;
            }
            else if (percentiles is not { Count: > 0 } || _recentStores.ContainsKey(id))
            {
                return FinishedView(finished, percentiles);
            }
        }

        if (run is not null)
        {
            return ViewOf(run, percentiles);
        }

        // A finished test whose counters are no longer in memory: its histograms from disk, read outside the lock.
        var histograms = ReadHistograms(id);
        lock (_sync)
        {
            return FinishedView(finished!, percentiles, histograms);
        }
    }

    private TestHistograms? ReadHistograms(string id)
    {
        try
        {
            return _results.Folder(id).ReadHistograms();
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            ClusterLog.HistogramsUnreadable(_logger, id, ex.Message);
            return null;
        }
    }

    public IReadOnlyList<TestView> Tests()
    {
        List<TestRun> active;
        List<TestView> views;
        lock (_sync)
        {
            active = [.. _active.Values];
            views = [.. _finished.Values.Select(s => FinishedView(s, null))];
        }

        views.AddRange(active.Select(r => ViewOf(r, null)));
        return [.. views.OrderByDescending(t => t.CreatedAt)];
    }

    /// <summary>The running test, or the last one (the seed's <c>/report-stats</c>).</summary>
    public TestView? CurrentOrLastTest()
    {
        TestRun? run;
        lock (_sync)
        {
            run = _active.Values.FirstOrDefault();
            if (run is null)
            {
                return _lastTestId is not null && _finished.TryGetValue(_lastTestId, out var s) ? FinishedView(s, null) : null;
            }
        }

        return ViewOf(run, null);
    }

    // Not under _sync: a running test's view, its statistics computed outside the runtime's lock (with thousands of
    // drivers they take a while, and reports must keep flowing meanwhile).
    private TestView ViewOf(TestRun run, IReadOnlyList<double>? percentiles)
    {
        double elapsed;
        lock (_sync)
        {
            elapsed = run.ElapsedSeconds(_time.GetUtcNow());
        }

        var stats = StatsOf(run, _time.GetUtcNow(), elapsed, percentiles);
        lock (_sync)
        {
            // The test may have ended while its stats were computed: then its summary (verdict, files) is the view.
            return run.Summary is { } summary ? FinishedView(summary, percentiles) : View(run, stats);
        }
    }

    /// <summary>
    /// The per-second series of a test: per driver rows and across-driver seconds; with <paramref name="lastSeconds"/>,
    /// only that many of the latest seconds (what a live view needs, without copying a long test every second).
    /// </summary>
    /// <param name="id">The test.</param>
    /// <param name="lastSeconds">Only the latest seconds; null for all.</param>
    /// <param name="includeRows">False to leave out the per-driver rows of a running test (thousands of drivers make many).</param>
    public (IReadOnlyList<TimeseriesRow> Rows, IReadOnlyList<SecondSummary> Seconds)? Timeseries(string id, int? lastSeconds = null, bool includeRows = true)
    {
        TestSummary? summary;
        lock (_sync)
        {
            if (_active.TryGetValue(id, out var run))
            {
                long? from = lastSeconds is { } n ? Math.Max(0, (long)run.ElapsedSeconds(_time.GetUtcNow()) - n + 1) : null;
                return (includeRows ? run.Store.Timeseries(from) : [], run.Store.Seconds(from));
            }

            if (!_finished.TryGetValue(id, out summary))
            {
                return null;
            }

            if (lastSeconds is { } last)
            {
                // A live view of a finished test: its timeline (the per-driver rows are for the full series).
                return ([], [.. summary.Timeline.TakeLast(last)]);
            }

            if (_recentStores.TryGetValue(id, out var store))
            {
                return (store.Timeseries(), store.Seconds());
            }
        }

        // An older finished test: its per-driver rows from disk, read outside the lock. A damaged file costs the rows,
        // not the answer: the timeline comes from the summary.
        var csv = _results.Folder(id).FilePath(ResultsFolder.TimeseriesFile);
        IReadOnlyList<TimeseriesRow> rows = [];
        try
        {
            rows = File.Exists(csv) ? TimeseriesCsv.Read(csv) : [];
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            ClusterLog.TimeseriesUnreadable(_logger, id, ex.Message);
        }

        return (rows, summary.Timeline);
    }

    /// <summary>Whether the test exists at all (running or finished).</summary>
    public bool Exists(string id)
    {
        lock (_sync)
        {
            return _active.ContainsKey(id) || _finished.ContainsKey(id);
        }
    }

    /// <summary>Receives a driver's per-request rows (an Arrow file) for a running test.</summary>
    public async Task<UploadOutcome> AcceptUploadAsync(string testId, string driverId, Stream body, CancellationToken ct)
    {
        string spool;
        lock (_sync)
        {
            if (!_active.TryGetValue(testId, out var run))
            {
                return _finished.ContainsKey(testId) ? UploadOutcome.NotExpected : UploadOutcome.NotFound;
            }

            if (!run.Includes(driverId) || run.Uploads.ContainsKey(driverId))
            {
                return UploadOutcome.NotExpected;
            }

            var dir = Path.Combine(_results.Folder(testId).Path, ResultsRepository.UploadsFolder);
            Directory.CreateDirectory(dir);
            spool = Path.Combine(dir, $"{Guid.NewGuid():N}.arrow");
        }

        await using (var file = new FileStream(spool, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true))
        {
            await body.CopyToAsync(file, ct).ConfigureAwait(false);
        }

        try
        {
            using var reader = ArrowFileReader.Open(spool);
            if (!reader.Schema.Equals(RequestRowSchema.Schema))
            {
                File.Delete(spool);
                return UploadOutcome.Invalid;
            }
        }
        catch (InvalidDataException)
        {
            File.Delete(spool);
            return UploadOutcome.Invalid;
        }

        lock (_sync)
        {
            if (_active.TryGetValue(testId, out var run) && !run.Uploads.ContainsKey(driverId))
            {
                // Complete and checked: named after its driver, which is how a restarted orchestrator finds it again.
                var kept = Path.Combine(Path.GetDirectoryName(spool)!, TestRun.UploadFileName(driverId));
                File.Move(spool, kept, overwrite: true);
                run.Uploads[driverId] = kept;
                return UploadOutcome.Accepted;
            }
        }

        File.Delete(spool);
        return UploadOutcome.NotExpected;
    }

    // ---- messages ----

    // The transport's handler (one message at a time): notes the time, decodes a report's counters here, off the lock,
    // and queues the message for the applying loop.
    private async Task OnMessageAsync(ClusterMessage message, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        Volatile.Write(ref _lastMessageAtTicks, now.UtcTicks);
        if (message.SentAt.UtcTicks > _newestSentAtTicks)
        {
            Volatile.Write(ref _newestSentAtTicks, message.SentAt.UtcTicks);
        }
        var inbound = new Inbound(message, now, message is ReportMessage report ? Decode(report) : null);
        if (!_inbound.Writer.TryWrite(inbound))
        {
            try
            {
                await _inbound.Writer.WriteAsync(inbound, ct).ConfigureAwait(false);
            }
            catch (ChannelClosedException)
            {
            }
        }
    }

    private async Task ApplyInboundAsync()
    {
        await foreach (var inbound in _inbound.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await ApplyAsync(inbound, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                // A bug must not stop the orchestrator from hearing its drivers: one message is lost, and said so.
                ClusterLog.ApplyFailed(_logger, ex, inbound.Message.GetType().Name, inbound.Message.DriverId);
            }
        }
    }

    // A report's counters, converted and checked; null when malformed (logged, and the report is dropped whole).
    private TargetCounters[]? Decode(ReportMessage report)
    {
        var counters = new TargetCounters[report.Targets.Count];
        for (var i = 0; i < counters.Length; i++)
        {
            if (!report.Targets[i].TryToCounters(out counters[i], out var why))
            {
                ClusterLog.MessageRejected(_logger, report.DriverId, $"report {report.Seq}: {why}");
                return null;
            }
        }

        return counters;
    }

    private async Task ApplyAsync(Inbound inbound, CancellationToken ct)
    {
        var (message, now, counters) = inbound;
        switch (message)
        {
            case TimeRequestMessage probe:
                lock (_sync)
                {
                    if (!Touch(probe, null, now))
                    {
                        return;
                    }
                }

                await PublishAsync(new TimeReplyMessage(probe.ClientSent, now, _time.GetUtcNow()) { DriverId = probe.DriverId }, ct).ConfigureAwait(false);
                return;
            case RegisterMessage register:
                lock (_sync)
                {
                    if (Touch(register, register.Host, now) && _drivers.TryGetValue(register.DriverId, out var entry))
                    {
                        entry.Version = register.Version;
                        entry.Cores = register.Cores;
                    }
                }

                return;
            case LeavingMessage:
                lock (_sync)
                {
                    Leave(message.DriverId, now);
                }

                return;
            case HeartbeatMessage heartbeat:
                lock (_sync)
                {
                    if (Touch(heartbeat, heartbeat.Host, now) && _drivers.TryGetValue(heartbeat.DriverId, out var entry))
                    {
                        // Written before its finished message but delivered after it: the driver is done with that test.
                        var stale = heartbeat.RunningTestId is { } running && running == entry.FinishedTestId;
                        entry.ReportedState = stale ? DriverState.Idle : heartbeat.State;
                        entry.ReportedTestId = stale ? null : heartbeat.RunningTestId;
                        entry.Sent = heartbeat.Sent;
                        entry.Completed = heartbeat.Completed;
                        entry.Health = heartbeat.Health;
                        if (heartbeat.RunningTestId is { } runs && _active.TryGetValue(runs, out var lostIn) && lostIn.LostAt.ContainsKey(entry.Id))
                        {
                            TryRejoin(lostIn, entry.Id, now);
                        }

                        NoteDroppedTest(entry, heartbeat, now);
                    }
                }

                return;
        }

        lock (_sync)
        {
            Touch(message, null, now); // a report is as much a sign of life as a heartbeat
            if (!_active.TryGetValue(message.TestId, out var run) || run.Finalizing || !run.Includes(message.DriverId)
                || (run.LostAt.ContainsKey(message.DriverId) && !TryRejoin(run, message.DriverId, now)))
            {
                return; // not for a test in progress, or from a driver no longer part of it
            }

            switch (message)
            {
                case AckMessage ack:
                    run.Acked.Add(message.DriverId);
                    run.AckSentAt.TryAdd(message.DriverId, message.SentAt);
                    if (double.IsFinite(ack.ClockOffsetMs) && Math.Abs(ack.ClockOffsetMs) < MaxClockOffset.TotalMilliseconds)
                    {
                        run.ClockOffsets.TryAdd(message.DriverId, TimeSpan.FromMilliseconds(ack.ClockOffsetMs));
                    }

                    break;
                case ReportMessage report when counters is not null:
                    ApplyReport(run, report, counters);
                    break;
                case FinishedMessage finished when !run.Finished.ContainsKey(finished.DriverId):
                    run.Finished[finished.DriverId] = finished;
                    if (_drivers.TryGetValue(finished.DriverId, out var done))
                    {
                        // Idle from now on: no need to wait for its next heartbeat to give it the next test.
                        done.FinishedTestId = run.Id;
                        done.ReportedState = DriverState.Idle;
                        done.ReportedTestId = null;
                    }

                    if (finished.Error is { } error)
                    {
                        run.Warnings.Add($"driver {finished.DriverId}: {error}");
                    }

                    break;
            }
        }
    }

    // Under _sync. Applies a report once; one that does not fit the test is rejected whole.
    private void ApplyReport(TestRun run, ReportMessage report, TargetCounters[] counters)
    {
        if (counters.Length != run.Plan.Targets.Length)
        {
            ClusterLog.MessageRejected(_logger, report.DriverId, $"report {report.Seq} has {counters.Length} targets, the test {run.Plan.Targets.Length}");
            return;
        }

        if (!run.Reports[report.DriverId].TryAdd(report.Seq))
        {
            return; // redelivered: already counted
        }

        run.Store.Apply(report.DriverId, new IntervalSnapshot(report.Second, report.ElapsedSeconds, counters) { Health = report.Health });
        run.Journal?.Append(report);
        if (_drivers.TryGetValue(report.DriverId, out var entry))
        {
            var progress = run.Store.ProgressOf(report.DriverId);
            entry.Sent = progress.Sent;
            entry.Completed = progress.Completed;
        }
    }

    // Under _sync. A driver that shut down cleanly leaves the registry. Still owing a test its end (it should have sent
    // it first), it is out of that test as a driver that dropped it.
    private void Leave(string driverId, DateTimeOffset now)
    {
        if (!_drivers.Remove(driverId, out var entry))
        {
            return;
        }

        ClusterLog.DriverLeft(_logger, driverId);
        if (entry.TestId is { } testId && _active.TryGetValue(testId, out var run) && !run.Finalizing
            && !run.Finished.ContainsKey(driverId) && !run.LostAt.ContainsKey(driverId))
        {
            run.LostAt[driverId] = now;
            run.Dropped.Add(driverId);
            run.LossNotes[driverId] = "shut down before finishing the test";
        }
    }

    // Under _sync. A driver reports running a test from before its acknowledgement until its finished message is on the
    // bus, and its later heartbeats come after that message. So a heartbeat written after the acknowledgement (by the
    // driver's clock) that says otherwise, before we have the finished message, means the driver dropped the test (it
    // restarted, or failed): it is out of the test, as a lost driver, and free for the next one.
    private void NoteDroppedTest(DriverEntry entry, HeartbeatMessage heartbeat, DateTimeOffset now)
    {
        if (entry.TestId is not { } testId || heartbeat.RunningTestId == testId || !_active.TryGetValue(testId, out var run)
            || run.Finalizing || !run.AckSentAt.TryGetValue(entry.Id, out var acked) || heartbeat.SentAt <= acked
            || run.Finished.ContainsKey(entry.Id) || run.LostAt.ContainsKey(entry.Id))
        {
            return;
        }

        run.LostAt[entry.Id] = now;
        run.Dropped.Add(entry.Id);
        run.Warnings.Add($"driver {entry.Id} stopped running the test without finishing it (restarted?)");
        ClusterLog.DriverDroppedTest(_logger, entry.Id, testId);
        entry.TestId = null;
    }

    // Under _sync. A driver found lost is heard from again while its test runs, and its message says it still runs it:
    // it never stopped (its messages were held up on the way, as behind one broker's outage), so it is back in the test
    // until the results are written, and reports that went by meanwhile are asked for again once it finishes. Not a
    // driver that dropped the test, nor one given another test since.
    private bool TryRejoin(TestRun run, string driverId, DateTimeOffset now)
    {
        if (run.Finalizing || run.Dropped.Contains(driverId) || !run.LostAt.TryGetValue(driverId, out var lostAt)
            || !_drivers.TryGetValue(driverId, out var entry) || entry.TestId is { } other && other != run.Id)
        {
            return false;
        }

        run.LostAt.Remove(driverId);
        run.LossNotes.Remove(driverId);
        entry.TestId = run.Id;
        entry.Lost = false;
        if (!run.Finished.ContainsKey(driverId))
        {
            run.AllFinishedAt = null; // waiting for it again
        }

        ClusterLog.DriverRejoined(_logger, driverId, run.Id, (now - lostAt).TotalSeconds);
        return true;
    }

    // Under _sync. Records that a driver is alive (registering it if new, when the message names its host). False when
    // it is not allowed.
    private bool Touch(ClusterMessage message, string? host, DateTimeOffset now)
    {
        var (driverId, sentAt) = (message.DriverId, message.SentAt);
        if (driverId.Length == 0)
        {
            return false;
        }

        if (!_drivers.TryGetValue(driverId, out var entry))
        {
            if (host is null)
            {
                return false; // time probes from unknown drivers wait for their registration
            }

            if (!IsAllowed(driverId, host))
            {
                ClusterLog.DriverNotAllowed(_logger, driverId, host);
                return false;
            }

            _drivers[driverId] = entry = new DriverEntry(driverId) { Host = host, RegisteredAt = now };
            ClusterLog.DriverRegistered(_logger, driverId, host);

            // A driver of a test this orchestrator resumed: still in it, as far as anyone knows.
            entry.TestId = _active.Values.FirstOrDefault(r => r.Includes(driverId) && !r.Finalizing && !r.LostAt.ContainsKey(driverId)
                && !r.Finished.ContainsKey(driverId))?.Id;
        }

        if (host is not null)
        {
            entry.Host = host;
        }

        entry.LastHeartbeat = now;
        if (sentAt > entry.LastSentAt)
        {
            entry.LastSentAt = sentAt;
        }
        if (entry.Lost)
        {
            // Back from the dead: still in the test it was lost in (TryRejoin), or available for the next one.
            entry.Lost = false;
            var stillRuns = message.TestId.Length > 0 ? message.TestId : (message as HeartbeatMessage)?.RunningTestId;
            if (entry.TestId is { } t && t != stillRuns && _active.TryGetValue(t, out var run) && run.LostAt.ContainsKey(driverId))
            {
                entry.TestId = null;
            }
        }

        return true;
    }

    private bool IsAllowed(string driverId, string host)
    {
        if (_options.AllowedDrivers.Count == 0)
        {
            return true;
        }

        foreach (var allowed in _options.AllowedDrivers)
        {
            var name = allowed.Contains(':', StringComparison.Ordinal) && !allowed.StartsWith('[') ? allowed[..allowed.LastIndexOf(':')] : allowed;
            var local = name is "127.0.0.1" or "localhost" or "::1" or "[::1]" && host == Environment.MachineName;
            if (local || string.Equals(name, host, StringComparison.OrdinalIgnoreCase) || name == driverId)
            {
                return true;
            }
        }

        return false;
    }

    // ---- the tick: loss, state, completion ----

    internal void Tick()
    {
        var now = _time.GetUtcNow();
        var resends = new List<ResendMessage>();
        var status = _transport.Status;
        lock (_sync)
        {
            var outage = TrackOutage(status, now);
            var horizon = ReadHorizon(now);
            foreach (var d in _drivers.Values)
            {
                if (!d.Lost && !outage && now - Later(d.LastHeartbeat, _silenceCountsFrom) > _options.HeartbeatTimeout
                    && (d.LastSentAt == default || horizon - d.LastSentAt > _options.HeartbeatTimeout))
                {
                    d.Lost = true;
                    ClusterLog.DriverLost(_logger, d.Id, (now - d.LastHeartbeat).TotalSeconds);
                    if (d.TestId is { } t && _active.TryGetValue(t, out var run) && !run.Finished.ContainsKey(d.Id))
                    {
                        run.LostAt[d.Id] = now;
                        run.LossNotes[d.Id] = run.ResumedAt is not null && !run.Acked.Contains(d.Id)
                            ? NotAnsweringNote(run, d.Id)
                            : string.Create(CultureInfo.InvariantCulture, $"went silent (nothing heard for {_options.HeartbeatTimeout.TotalSeconds:0.#} s) and was left out");
                    }
                }
            }

            foreach (var run in _active.Values.ToList())
            {
                if (!run.Finalizing)
                {
                    Advance(run, now, outage, resends);
                }

                run.Journal?.Flush();
            }

            if (now - _lastCheckpoint >= TimeSpan.FromTicks(Volatile.Read(ref _checkpointIntervalTicks)) && _checkpointing.IsCompleted)
            {
                // Off the lock: with thousands of drivers a checkpoint takes a while, and reports keep arriving. Set
                // under the lock, so a test that starts finalising after this waits for it (BeginFinalize).
                _lastCheckpoint = now;
                var due = _active.Values.Where(r => !r.Finalizing && !r.Recovering).Select(r => CheckpointOf(r, now)).ToList();
                if (due.Count > 0)
                {
                    _checkpointing = Task.Run(() => WriteCheckpoints(due));
                }
            }
        }

        foreach (var resend in resends)
        {
            _ = PublishBestEffortAsync(resend);
        }

        _garbage.CollectIfDue(); // keeps a long-running orchestrator's memory flat, as a driver's
    }

    // Under _sync. True while the bus is unreachable (or just back, with no message through yet); keeps
    // _silenceCountsFrom at the moment silence means something again.
    private bool TrackOutage(TransportStatus status, DateTimeOffset now)
    {
        if (!status.Connected)
        {
            if (_outageSince is null)
            {
                _outageSince = now;
                ClusterLog.BusDown(_logger, status.Detail);
            }

            _reconnectedAt = null;
            return true;
        }

        if (_outageSince is not { } since)
        {
            return false;
        }

        _reconnectedAt ??= now;
        var lastMessage = new DateTimeOffset(Volatile.Read(ref _lastMessageAtTicks), TimeSpan.Zero);
        if (lastMessage > _reconnectedAt)
        {
            _silenceCountsFrom = lastMessage;
        }
        else if (now - _reconnectedAt.Value >= _options.HeartbeatTimeout)
        {
            _silenceCountsFrom = _reconnectedAt.Value;
        }
        else
        {
            return true; // reconnected, but nothing read yet: the consumer may still be rejoining its group
        }

        ClusterLog.BusBack(_logger, (_silenceCountsFrom - since).TotalSeconds, _options.HeartbeatTimeout.TotalSeconds);
        _outageSince = null;
        _reconnectedAt = null;
        return false;
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    // How far the orchestrator has read into what its drivers wrote: the newest send time among the messages read,
    // moved on by the time since the last one was read. Behind on its messages (overloaded, or catching up after a
    // pause) it reads old ones, and a driver counts as silent only once the stream has moved past the driver's last
    // message by the heartbeat timeout — not because the orchestrator itself is late. With nothing left to read the
    // horizon moves with the clock, so a driver that stopped is still found. Drivers write send times on this clock
    // (ClusterMessage.SentAt, moved by the offset their time probes measured), so their own clocks need not agree.
    private DateTimeOffset ReadHorizon(DateTimeOffset now)
    {
        var newest = Volatile.Read(ref _newestSentAtTicks);
        var lastRead = Volatile.Read(ref _lastMessageAtTicks);
        if (newest == 0 || lastRead == 0)
        {
            return now;
        }

        return new DateTimeOffset(newest, TimeSpan.Zero) + (now - new DateTimeOffset(lastRead, TimeSpan.Zero));
    }

    // Under _sync.
    private void Advance(TestRun run, DateTimeOffset now, bool outage, List<ResendMessage> resends)
    {
        if (run.State == TestState.Starting && now >= run.StartAt)
        {
            run.MoveTo(TestState.Running);
            ClusterLog.TestTransition(_logger, run.Id, "starting", "running");
        }

        // A driver that never acknowledged the start, or never finishes after a stop, is treated as lost (not while
        // the bus is down: its messages cannot arrive).
        if (!outage && run.ResumedAt is not null && run.ReplayAskedAt is { } asked && now - asked >= ResendInterval)
        {
            resends.AddRange(AskToReplay(run, now));
        }

        foreach (var d in outage ? [] : run.ActiveDrivers.ToList())
        {
            var silentStart = !run.Acked.Contains(d) && now > Later(Later(run.StartAt, run.ResumedAt ?? default), _silenceCountsFrom) + _options.HeartbeatTimeout;
            var stuckStop = run.StopRequestedAt is { } at && !run.Finished.ContainsKey(d)
                && now > Later(at, _silenceCountsFrom) + TimeSpan.FromMilliseconds(run.Plan.TimeoutMs) + TimeSpan.FromSeconds(30);
            if (silentStart || stuckStop)
            {
                run.LostAt[d] = now;
                run.LossNotes[d] = stuckStop ? "did not finish after the stop"
                    : run.ResumedAt is null ? "never acknowledged the start"
                    : NotAnsweringNote(run, d);
            }
        }

        var active = run.ActiveDrivers.ToList();
        if (active.Count == 0)
        {
            // Each may only have its messages held up (as when the broker that leads their partitions is down while
            // the orchestrator still hears the others): one heartbeat timeout to be heard from again (TryRejoin).
            if (run.HasLostThatMayReturn && now - run.LostAt.Values.Max() < _options.HeartbeatTimeout)
            {
                return;
            }

            run.Reason = "every driver was lost";
            BeginFinalize(run, TestState.Failed, now);
            return;
        }

        if (!active.All(run.Finished.ContainsKey))
        {
            return;
        }

        run.AllFinishedAt ??= now;
        var waiting = now - run.AllFinishedAt.Value;

        // A driver lost for its silence gets one more heartbeat timeout after the others finished to be heard from
        // again (TryRejoin): its messages may only be held up. A dead one costs the results that much delay.
        if (waiting < _options.HeartbeatTimeout && run.HasLostThatMayReturn)
        {
            return;
        }

        var missing = active.SelectMany(d => run.Reports[d].Missing(run.Finished[d].Reports).Select(r => (Driver: d, r.From, r.To))).ToList();
        if (missing.Count > 0 && waiting < _options.ResendTimeout)
        {
            if (run.LastResendAt is null || now - run.LastResendAt >= ResendInterval)
            {
                run.LastResendAt = now;
                foreach (var (driver, from, to) in missing)
                {
                    ClusterLog.ReportsMissing(_logger, run.Id, driver, from, to);
                    resends.Add(new ResendMessage(from, to) { DriverId = driver, TestId = run.Id });
                }
            }

            return;
        }

        foreach (var (driver, from, to) in missing)
        {
            run.Warnings.Add($"reports {from}..{to} of driver {driver} never arrived; its totals miss those seconds");
        }

        if (run.Plan.RecordRequests > 0)
        {
            // A driver uploads before it reports its end, so one that reports an error has no upload coming: the
            // wait is for the others (it held a test for the whole upload timeout after every driver had said so).
            var owed = active.Where(d => run.Finished[d].RecordedRows > 0 && !run.Uploads.ContainsKey(d)).ToList();
            if (owed.Any(d => run.Finished[d].Error is null) && waiting < _options.UploadTimeout && UploadBaseUrl is not null)
            {
                return;
            }

            foreach (var d in owed)
            {
                ClusterLog.UploadMissing(_logger, run.Id, d);
                run.Warnings.Add($"driver {d}'s per-request rows were not uploaded: requests.arrow lacks them");
            }
        }

        // A stop the previous orchestrator sent just before it went away may not be in its checkpoint: the drivers'
        // ends say they were stopped.
        var stopped = run.StopRequested || (run.ResumedAt is not null && active.Any(d => run.Finished[d].Stopped));
        BeginFinalize(run, stopped ? TestState.Stopped : TestState.Completed, now);
    }

    // Under _sync. Why a driver of a resumed test that never answered is out of it, and what of it is counted.
    private static string NotAnsweringNote(TestRun run, string driverId) =>
        (run.ResumedFrom?.PerDriver.GetValueOrDefault(driverId)?.Count ?? 0) - run.Store.ProgressOf(driverId).Completed is > 0 and var missed
            ? $"did not answer the restarted orchestrator: {missed} requests it had completed by the last checkpoint are not in these results"
            : "did not answer the restarted orchestrator; its reports up to the restart are counted";

    // Under _sync (or before the tick starts). A resumed test's drivers that have not answered yet are asked for
    // everything they sent in it: their acknowledgement, every report and, if they finished, their end.
    private static List<ResendMessage> AskToReplay(TestRun run, DateTimeOffset now)
    {
        run.ReplayAskedAt = now;
        return [.. run.ActiveDrivers.Where(d => !run.Acked.Contains(d))
            .Select(d => new ResendMessage(1, long.MaxValue) { DriverId = d, TestId = run.Id })];
    }

    // Under _sync. Builds the summary, then writes files in the background and only then shows the end state.
    private void BeginFinalize(TestRun run, TestState final, DateTimeOffset now)
    {
        if (run.Finalizing)
        {
            return;
        }

        run.Finalizing = true;
        run.EndedAt = EndOf(run, now);
        foreach (var (d, note) in run.LossNotes)
        {
            if (run.LostAt.ContainsKey(d))
            {
                run.Warnings.Add($"driver {d} {note}");
            }
        }

        if (run.Warnings.Count > 0)
        {
            run.Reason = string.Join("; ", run.Reason is null ? run.Warnings : run.Warnings.Prepend(run.Reason));
        }

        var summary = Summarise(run, final.ToWireName());
        var uploads = run.Uploads.Values.ToList();
        var checkpointing = _checkpointing;

        // A resumed test none of whose drivers came back, and whose journal holds less than its checkpoint (or nothing):
        // what the checkpoint held is all there is.
        var givenUp = run.ResumedFrom is { } from && run.Acked.Count == 0 && (run.Recovering || run.CompletedSoFar == 0) ? from : null;
        var task = Task.Run(async () =>
        {
            await checkpointing.ConfigureAwait(false); // a checkpoint written after the final files would outlive them
            if (givenUp is not null)
            {
                await GiveUpAsync(run, givenUp).ConfigureAwait(false);
            }
            else
            {
                await FinishAsync(run, final, summary, uploads).ConfigureAwait(false);
            }
        });
        _background.Add(task);
    }

    private async Task GiveUpAsync(TestRun run, TestSummary checkpoint)
    {
        var reason = $"{ResultsRepository.InterruptedReason} (no driver of it answered the restarted orchestrator)";
        TestSummary summary;
        try
        {
            summary = _results.FailInterrupted(checkpoint, run.EndedAt ?? _time.GetUtcNow(), reason);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ClusterLog.ResultsFailed(_logger, run.Id, ex.Message);
            summary = checkpoint with { State = "failed", Verdict = Verdict.Failed, Reason = $"{reason}; writing results failed: {ex.Message}" };
        }

        await EndAsync(run, TestState.Failed, summary, keepCounters: false).ConfigureAwait(false);
    }

    private async Task FinishAsync(TestRun run, TestState final, TestSummary summary, List<string> uploads)
    {
        try
        {
            _results.WriteFinal(summary, run.Store, uploads, run.Plan.RecordRequests > 0);
            ClusterLog.ResultsWritten(_logger, run.Id, _results.Folder(run.Id).Path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            // Results that are not on disk are not kept (a restart would find at most a checkpoint): the test failed,
            // whatever its numbers said, and the API shows them with the reason.
            ClusterLog.ResultsFailed(_logger, run.Id, ex.Message);
            final = TestState.Failed;
            summary = summary with
            {
                State = final.ToWireName(),
                Verdict = Verdict.Failed,
                Reason = $"{summary.Reason}; writing results failed: {ex.Message}".TrimStart(' ', ';'),
            };
            TryRewriteSummary(summary);
        }
        finally
        {
            TryDeleteDirectory(Path.Combine(_results.Folder(run.Id).Path, ResultsRepository.UploadsFolder));
        }

        await EndAsync(run, final, summary, keepCounters: true).ConfigureAwait(false);
    }

    // The end state shown once the results are on disk (or failed to be), and the drivers released. The test's counters
    // are kept for fast extra percentiles when they are what the summary was made from.
    private async Task EndAsync(TestRun run, TestState final, TestSummary summary, bool keepCounters)
    {
        lock (_sync)
        {
            var from = run.State.ToWireName();
            run.MoveTo(final);
            run.Summary = summary;
            ClusterLog.TestTransition(_logger, run.Id, from, final.ToWireName());
            _active.Remove(run.Id);
            run.Journal?.Dispose();
            ReportJournal.Delete(_results.Folder(run.Id).Path);
            _finished[run.Id] = summary;
            if (keepCounters)
            {
                _recentStores[run.Id] = run.Store;
                _recentOrder.Enqueue(run.Id);
                while (_recentOrder.Count > RecentStores)
                {
                    _recentStores.Remove(_recentOrder.Dequeue());
                }
            }

            foreach (var d in run.Drivers)
            {
                if (_drivers.TryGetValue(d, out var entry) && entry.TestId == run.Id)
                {
                    entry.TestId = null;
                }
            }
        }

        await PublishBestEffortAsync(new ReleaseMessage { TestId = run.Id }).ConfigureAwait(false);
    }

    // After a failed write: the summary on disk (when it was written) says so too, so a restart shows what the API did.
    private void TryRewriteSummary(TestSummary summary)
    {
        var folder = _results.Folder(summary.TestId);
        if (!File.Exists(folder.FilePath(ResultsFolder.SummaryFile)))
        {
            return;
        }

        try
        {
            folder.WriteSummary(summary);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ClusterLog.ResultsFailed(_logger, summary.TestId, ex.Message);
        }
    }

    // Under _sync. The end of a test: the last driver's end on the orchestrator's clock (each driver's local end moved
    // by the offset it scheduled the test with), or now.
    private static DateTimeOffset EndOf(TestRun run, DateTimeOffset now)
    {
        if (run.Finished.Count == 0)
        {
            return now;
        }

        var end = run.Finished.Max(kv => kv.Value.EndedAt + run.ClockOffsets.GetValueOrDefault(kv.Key));
        return end > run.StartAt && end <= now + TimeSpan.FromMinutes(1) ? end : now;
    }

    private TestSummary Summarise(TestRun run, string state) => TestSummaryBuilder.Build(
        run.Id,
        run.Plan,
        state,
        run.StartAt,
        run.EndedAt ?? _time.GetUtcNow(),
        run.Drivers,
        run.LostAt,
        run.Store,
        run.Reason,
        run.Plan.RecordRequests > 0 ? run.Uploads.Keys.Sum(d => run.Finished.TryGetValue(d, out var f) ? f.RecordedRows : 0) : null, // rows in requests.arrow
        _options.Version);

    // Under _sync: what a checkpoint needs from a running test, copied (the store is thread-safe on its own).
    private PendingCheckpoint CheckpointOf(TestRun run, DateTimeOffset now) =>
        new(run, run.State.ToWireName(), now, new Dictionary<string, DateTimeOffset>(run.LostAt, StringComparer.Ordinal), run.Reason, run.ResumeState());

    // Under _sync.
    private void Checkpoint(TestRun run, DateTimeOffset now) => WriteCheckpoint(CheckpointOf(run, now));

    // Periodic checkpoints, off the lock. The next one waits twenty times as long as these took (5 s at least), so a
    // long test with many drivers does not spend its time rewriting its timeseries.
    private void WriteCheckpoints(List<PendingCheckpoint> due)
    {
        var started = _time.GetTimestamp();
        foreach (var checkpoint in due)
        {
            WriteCheckpoint(checkpoint);
        }

        Volatile.Write(ref _checkpointIntervalTicks, SpacedByCost(CheckpointInterval, _time.GetElapsedTime(started)).Ticks);
    }

    // How long to wait before repeating work that took `took`: twenty times that, so it costs at most a twentieth of a
    // core, and never less than `least`.
    private static TimeSpan SpacedByCost(TimeSpan least, TimeSpan took) => TimeSpan.FromTicks(Math.Max(least.Ticks, took.Ticks * 20));

    private void WriteCheckpoint(PendingCheckpoint c)
    {
        var run = c.Run;
        try
        {
            var partial = TestSummaryBuilder.Build(run.Id, run.Plan, c.State, run.StartAt, c.At, run.Drivers, c.LostAt, run.Store, c.Reason, null, _options.Version);
            _results.WriteCheckpoint(partial, run.Store.Timeseries(), c.Resume);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ClusterLog.ResultsFailed(_logger, run.Id, ex.Message);
        }
    }

    /// <summary>A message read from the bus, when, and (for a report) its decoded counters.</summary>
    private sealed record Inbound(ClusterMessage Message, DateTimeOffset ReceivedAt, TargetCounters[]? Counters);

    private sealed record PendingCheckpoint(TestRun Run, string State, DateTimeOffset At, IReadOnlyDictionary<string, DateTimeOffset> LostAt, string? Reason, ResumeState Resume);

    // Under _sync.
    private TestView View(TestRun run, TestStats stats)
    {
        var now = _time.GetUtcNow();
        var elapsed = run.ElapsedSeconds(now);

        // A resumed test shows its checkpoint until the drivers' reports, sent again, hold as much (seconds at most).
        var recovering = run.ResumedFrom is { } from && run.Recovering ? from : null;
        if (recovering is not null)
        {
            stats = new TestStats(recovering.Aggregate, recovering.PerDriver, recovering.PerTarget);
        }

        return new TestView
        {
            Id = run.Id,
            State = run.State.ToWireName(),
            Plan = PlanRedaction.Redact(run.Plan),
            Drivers = run.Drivers,
            LostDrivers = [.. run.LostAt.Keys.Order(StringComparer.Ordinal)],
            LostAt = run.LostAt.Count == 0 ? null : new Dictionary<string, DateTimeOffset>(run.LostAt),
            Progress = recovering is null
                ? run.Store.Progress()
                : recovering.PerDriver.ToDictionary(kv => kv.Key, kv => new DriverProgress(kv.Value.Sent, kv.Value.Count)),
            Stats = stats,
            CreatedAt = run.CreatedAt,
            StartAt = run.StartAt,
            EndedAt = run.EndedAt,
            DurationSeconds = Math.Round(elapsed, 3),
            Reason = run.Reason,
        };
    }

    // Needs no _sync (the store is thread-safe; the cache has its own lock). Views within half a second share their
    // stats, whoever asks; with thousands of drivers (a summary each) they are shared for twenty times as long as they
    // took to compute, so reading them costs at most a twentieth of a core.
    private TestStats StatsOf(TestRun run, DateTimeOffset now, double elapsed, IReadOnlyList<double>? percentiles)
    {
        if (percentiles is { Count: > 0 })
        {
            return run.Store.Stats(Math.Max(elapsed, 1e-9), percentiles);
        }

        lock (run.StatsGate)
        {
            if (run.CachedStats is { } cached && now - cached.At < cached.Ttl)
            {
                return cached.Stats;
            }

            var started = _time.GetTimestamp();
            var stats = run.Store.Stats(Math.Max(elapsed, 1e-9));
            run.CachedStats = (now, SpacedByCost(TimeSpan.FromMilliseconds(500), _time.GetElapsedTime(started)), stats);
            return stats;
        }
    }

    // Under _sync. Extra percentiles from the test's counters while they are kept, else from its histograms if given.
    private TestView FinishedView(TestSummary s, IReadOnlyList<double>? percentiles, TestHistograms? histograms = null)
    {
        var stats = new TestStats(s.Aggregate, s.PerDriver, s.PerTarget);
        if (percentiles is { Count: > 0 })
        {
            if (_recentStores.TryGetValue(s.TestId, out var store))
            {
                stats = store.Stats(s.DurationSeconds, percentiles);
            }
            else if (histograms is not null)
            {
                stats = histograms.AddPercentiles(stats, percentiles);
            }
        }

        return new TestView
        {
            Id = s.TestId,
            State = s.State,
            Plan = s.Plan,
            Drivers = s.Drivers,
            LostDrivers = s.LostDrivers,
            LostAt = s.LostAt,
            Verdict = s.Verdict,
            Progress = s.PerDriver.ToDictionary(kv => kv.Key, kv => new DriverProgress(kv.Value.Sent, kv.Value.Count)),
            Stats = stats,
            Thresholds = s.Thresholds,
            CreatedAt = s.StartedAt,
            StartAt = s.StartedAt,
            EndedAt = s.EndedAt,
            DurationSeconds = s.DurationSeconds,
            Reason = s.Reason,
            Files = _results.Folder(s.TestId).ExistingFiles(),
        };
    }

    private Task PublishAsync(ClusterMessage message, CancellationToken ct) =>
        _transport.PublishAsync(ClusterTopic.Control, message with { OrchestratorId = _options.OrchestratorId, SentAt = _time.GetUtcNow() }, ct);

    private async Task PublishBestEffortAsync(ClusterMessage message)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        bounded.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await PublishAsync(message, bounded.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ClusterTransportException)
        {
            ClusterLog.PublishFailed(_logger, message.GetType().Name, ex.Message);
        }
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
