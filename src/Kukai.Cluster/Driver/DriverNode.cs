using Kukai.Cluster.Logging;
using Kukai.Cluster.Messages;
using Kukai.Cluster.Transport;
using Kukai.Engine.Execution;
using Kukai.Engine.Health;
using Kukai.Engine.Metrics;
using Kukai.Engine.Plans;
using Kukai.Results;
using Microsoft.Extensions.Logging;

namespace Kukai.Cluster.Driver;

/// <summary>
/// A load-generating node (<c>kukai driver</c>): registers, heartbeats every second, measures its clock offset to the
/// orchestrator, and runs its share of each test it is given with the engine, reporting every second. It stays up
/// between tests and rides out bus outages (messages wait in an ordered outbox).
/// </summary>
/// <remarks>
/// A test, step by step (see <see cref="RunTestAsync"/>):
/// <list type="number">
/// <item>the start message lists the drivers; this driver's index is its position, its share is the plan itself;</item>
/// <item>it acknowledges, converts the orchestrator's start time to its own clock, and runs the plan;</item>
/// <item>every second a <see cref="ReportMessage"/> with the interval's counters and histogram deltas (seq 1, 2, …);</item>
/// <item>at the end it uploads its per-request rows (if recorded) and sends <see cref="FinishedMessage"/> with exact totals;</item>
/// <item>it keeps its reports until released, to answer resend requests.</item>
/// </list>
/// </remarks>
public sealed class DriverNode : IAsyncDisposable
{
    private readonly IClusterTransport _transport;
    private readonly DriverOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Outbox _outbox;
    private readonly ClockOffsetEstimator _clock = new();
    private readonly HostHealthSampler _health;
    private readonly RequestsUploader _uploader;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromMinutes(5) };
    private readonly Lock _sync = new();
    private readonly Dictionary<string, ReportLog> _reports = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LoadRunner? _runner;
    private string? _runningTestId;
    private string? _stopRequested;
    private Task _testTask = Task.CompletedTask;
    private string? _orchestratorId;
    private long _heartbeatSeq;
    private long _sent;
    private long _completed;

    public DriverNode(IClusterTransport transport, DriverOptions options, TimeProvider time, ILoggerFactory loggerFactory)
    {
        _transport = transport;
        _options = options;
        _time = time;
        _logger = loggerFactory.CreateLogger<DriverNode>();
        _outbox = new Outbox(transport, time, _logger);
        _health = new HostHealthSampler(time);
        _uploader = new RequestsUploader(_http, options.Token, time, _logger);
    }

    public string DriverId => _options.DriverId;

    /// <summary>Completes once the node reads control messages and has registered.</summary>
    public Task Ready => _ready.Task;

    /// <summary>The test being run, if any.</summary>
    public string? RunningTestId
    {
        get
        {
            lock (_sync)
            {
                return _runningTestId;
            }
        }
    }

    /// <summary>Runs until <paramref name="ct"/> is cancelled; a running test is stopped and reported first.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        RemoveLeftovers();
        var consumerStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = _transport.ConsumeAsync(new ClusterSubscription([ClusterTopic.Control], Group: null), OnControlAsync, consumerStarted, ct);
        await Task.WhenAny(consumerStarted.Task, consumer).ConfigureAwait(false);
        await RegisterAsync(ct).ConfigureAwait(false);
        _ready.TrySetResult();

        var heartbeats = HeartbeatLoopAsync(ct);
        var probes = ClockProbeLoopAsync(ct);
        try
        {
            await Task.WhenAll(consumer, heartbeats, probes).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }

        // Shutting down: stop the test cleanly so its results still reach the orchestrator.
        LoadRunner? runner;
        lock (_sync)
        {
            runner = _runner;
        }

        runner?.Stop();
        await _testTask.ConfigureAwait(false);
        using var drain = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _outbox.DrainAsync(drain.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        // Behind everything else this driver sent (same key): the orchestrator forgets it rather than finding it lost.
        var leaving = new LeavingMessage(_options.Host) { DriverId = DriverId, Seq = Interlocked.Increment(ref _heartbeatSeq), SentAt = SentAtNow() };
        await PublishBestEffortAsync(ClusterTopic.Status, leaving, CancellationToken.None).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _outbox.DisposeAsync().ConfigureAwait(false);
        _http.Dispose();
        lock (_sync)
        {
            foreach (var log in _reports.Values)
            {
                log.Dispose();
            }

            _reports.Clear();
        }
    }

    // Messages carry their send time on the orchestrator's clock (this clock moved by the measured offset), so a driver
    // whose clock is off is judged by when it really wrote; none until the first time probe came back.
    private DateTimeOffset SentAtNow() => _clock.TryGetOffset(out var offset) ? _time.GetUtcNow() + offset : default;

    private async Task RegisterAsync(CancellationToken ct)
    {
        ClusterLog.DriverRegistering(_logger, DriverId, _options.Host);
        var message = new RegisterMessage(_options.Host, Environment.ProcessId, _options.Version, Environment.ProcessorCount, _time.GetUtcNow())
        {
            DriverId = DriverId,
            Seq = Interlocked.Increment(ref _heartbeatSeq),
            SentAt = SentAtNow(),
        };
        await PublishBestEffortAsync(ClusterTopic.Status, message, ct).ConfigureAwait(false);
        await ProbeClockAsync(ct).ConfigureAwait(false);
    }

    private async Task HeartbeatLoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(_options.HeartbeatInterval, _time);
        while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
        {
            string? testId;
            lock (_sync)
            {
                testId = _runningTestId;
            }

            var heartbeat = new HeartbeatMessage(
                _options.Host,
                testId is null ? DriverState.Idle : DriverState.Running,
                testId,
                Interlocked.Read(ref _sent),
                Interlocked.Read(ref _completed),
                _health.Sample())
            {
                DriverId = DriverId,
                Seq = Interlocked.Increment(ref _heartbeatSeq),
                SentAt = SentAtNow(),
            };

            // Heartbeats are not queued behind each other: a late one is worthless, the next one replaces it.
            await PublishBestEffortAsync(ClusterTopic.Status, heartbeat, ct).ConfigureAwait(false);
        }
    }

    private async Task ClockProbeLoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(_options.ClockProbeInterval, _time);
        while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
        {
            await ProbeClockAsync(ct).ConfigureAwait(false);
        }
    }

    private Task ProbeClockAsync(CancellationToken ct) =>
        PublishBestEffortAsync(
            ClusterTopic.Status,
            new TimeRequestMessage(_time.GetUtcNow()) { DriverId = DriverId, SentAt = SentAtNow() },
            ct);

    private async Task PublishBestEffortAsync(ClusterTopic topic, ClusterMessage message, CancellationToken ct)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            await _transport.PublishAsync(topic, message, bounded.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            ClusterLog.PublishFailed(_logger, message.GetType().Name, "timed out");
        }
        catch (ClusterTransportException ex)
        {
            ClusterLog.PublishFailed(_logger, message.GetType().Name, ex.Message);
        }
    }

    private async Task OnControlAsync(ClusterMessage message, CancellationToken ct)
    {
        if (message.OrchestratorId is { } orchestrator && orchestrator != _orchestratorId)
        {
            var first = _orchestratorId is null;
            _orchestratorId = orchestrator;
            if (!first || message is HelloMessage)
            {
                ClusterLog.NewOrchestrator(_logger, orchestrator);
                _ = RegisterAsync(ct);
            }
        }

        switch (message)
        {
            case StartMessage start when start.Drivers.Contains(DriverId):
                OnStart(start, ct);
                break;
            case StopMessage stop when stop.TestId == RunningTestId:
                ClusterLog.DriverStopRequested(_logger, stop.TestId);
                lock (_sync)
                {
                    // Remembered: a stop right behind the start may come before the runner exists.
                    _stopRequested = stop.TestId;
                    _runner?.Stop();
                }

                break;
            case TimeReplyMessage reply when reply.DriverId == DriverId:
                _clock.Add(reply.ClientSent, reply.ServerReceived, reply.ServerSent, _time.GetUtcNow());
                break;
            case ResendMessage resend when resend.DriverId == DriverId:
                Resend(resend);
                break;
            case ReleaseMessage release when release.DriverId == DriverId || release.DriverId.Length == 0:
                lock (_sync)
                {
                    if (_reports.Remove(release.TestId, out var log))
                    {
                        log.Dispose();
                    }
                }

                break;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    private void OnStart(StartMessage start, CancellationToken ct)
    {
        if (Identifiers.Problem(start.TestId) is { } why)
        {
            // The id names the spooled rows file: anyone able to write to the control topic must not choose a path.
            ClusterLog.StartIgnored(_logger, "(invalid)", $"test id {why}");
            return;
        }

        lock (_sync)
        {
            if (_runningTestId is not null)
            {
                ClusterLog.StartIgnored(_logger, start.TestId, $"already running test {_runningTestId}");
                return;
            }

            if (_reports.ContainsKey(start.TestId))
            {
                return; // a redelivered start of a test this driver already ran
            }

            _runningTestId = start.TestId;
            _reports[start.TestId] = new ReportLog(Path.Combine(_options.SpoolDirectory, $"{start.TestId}-{DriverId}.reports"));
            Interlocked.Exchange(ref _sent, 0);
            Interlocked.Exchange(ref _completed, 0);
            _testTask = Task.Run(() => RunTestAsync(start, ct), CancellationToken.None);
        }
    }

    // The test's kept messages; null once released.
    private ReportLog? Held(string testId)
    {
        lock (_sync)
        {
            return _reports.GetValueOrDefault(testId);
        }
    }

    private void Resend(ResendMessage resend)
    {
        ReportLog? log;
        lock (_sync)
        {
            if (!_reports.TryGetValue(resend.TestId, out log))
            {
                return;
            }
        }

        List<ReportMessage> again;
        try
        {
            again = log.Range(resend.FromSeq, resend.ToSeq);
        }
        catch (ObjectDisposedException)
        {
            return; // released meanwhile
        }

        ClusterLog.Resending(_logger, resend.TestId, resend.FromSeq, resend.ToSeq);

        // The end and the acknowledgement too (an orchestrator that restarted mid-test may have neither), the end
        // first: with it in hand, a heartbeat that says this driver is idle is no sign that it dropped the test.
        if (log.Finished is { } finished)
        {
            _outbox.Enqueue(ClusterTopic.Status, finished);
        }

        if (log.Ack is { } ack)
        {
            _outbox.Enqueue(ClusterTopic.Status, ack);
        }

        foreach (var report in again)
        {
            _outbox.Enqueue(ClusterTopic.Metrics, report);
        }
    }

    private async Task RunTestAsync(StartMessage start, CancellationToken ct)
    {
        var testId = start.TestId;
        var plan = start.Plan;
        var index = start.Drivers.ToList().IndexOf(DriverId);
        var startedAt = _time.GetUtcNow();
        var totals = plan.Targets.Select(_ => new TargetCounters()).ToArray();
        long reportSeq = 0;
        string? error = null;
        var stopped = false;
        long rows = 0;
        string? spool = null;
        DateTimeOffset? endedAt = null;
        try
        {
            var offset = _clock.Offset;
            var localStart = start.StartAt - offset;
            ClusterLog.DriverStarting(_logger, testId, DriverId, index, start.Drivers.Count, localStart, offset.TotalMilliseconds);
            var ack = new AckMessage(index, offset.TotalMilliseconds) { DriverId = DriverId, TestId = testId, Seq = 1, SentAt = SentAtNow() };
            Held(testId)?.Ack = ack;
            _outbox.Enqueue(ClusterTopic.Status, ack);

            if (plan.RecordRequests > 0)
            {
                Directory.CreateDirectory(_options.SpoolDirectory);
                spool = Path.Combine(_options.SpoolDirectory, $"{testId}-{DriverId}.arrow");
            }

            using var sink = spool is null ? null : ArrowRecordSink.Create(spool, DriverId, [.. plan.Targets.Select(t => t.Key)]);
            await using var runner = new LoadRunner(plan, new RunContext(DriverId, index, start.Drivers.Count, StableHash.Of(testId)), _time, sink);
            lock (_sync)
            {
                _runner = runner;
                if (_stopRequested == testId)
                {
                    runner.Stop();
                }
            }

            var result = await runner.RunAsync(runner.Clock.FromDateTimeOffset(localStart), interval =>
            {
                for (var t = 0; t < totals.Length; t++)
                {
                    totals[t].Add(interval.Targets[t]);
                }

                var total = interval.Total();
                Interlocked.Add(ref _sent, total.Sent);
                Interlocked.Add(ref _completed, total.Count);
                var report = new ReportMessage(interval.Second, interval.ElapsedSeconds, [.. interval.Targets.Select(CountersDto.From)], interval.Health)
                {
                    DriverId = DriverId,
                    TestId = testId,
                    Seq = ++reportSeq,
                    SentAt = SentAtNow(),
                };
                lock (_sync)
                {
                    // Not kept once released: the orchestrator gave up on this test (it ended without this driver,
                    // or a restarted orchestrator stopped it) and will ask for none of it again.
                    if (_reports.TryGetValue(testId, out var kept))
                    {
                        kept.Add(report);
                    }
                }

                _outbox.Enqueue(ClusterTopic.Metrics, report);
            }).ConfigureAwait(false);
            stopped = result.Stopped;
            startedAt = runner.Clock.ToDateTimeOffset(result.StartTicks);
            endedAt = runner.Clock.ToDateTimeOffset(result.EndTicks);
            if (result.Unexpected is { } bug)
            {
                error = $"a request failed unexpectedly: {bug.GetType().Name}: {bug.Message}";
            }

            rows = sink?.Complete() ?? 0;
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            error = ex.Message;
            ClusterLog.RunFailed(_logger, testId, ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A bug. Still finish the test (the orchestrator would otherwise wait for this driver) and become idle.
            error = $"the run failed unexpectedly: {ex.GetType().Name}: {ex.Message}";
            ClusterLog.RunFailed(_logger, testId, error);
        }
        finally
        {
            lock (_sync)
            {
                _runner = null;
            }
        }

        if (rows > 0 && spool is not null && (_options.OrchestratorUrl ?? (start.UploadUrl is null ? null : new Uri(start.UploadUrl))) is { } baseUrl)
        {
            try
            {
                if (!await _uploader.UploadAsync(baseUrl, testId, DriverId, spool, ct).ConfigureAwait(false))
                {
                    error ??= "the per-request rows could not be uploaded";
                }
            }
            catch (OperationCanceledException)
            {
                error ??= "shut down before the per-request rows were uploaded";
            }
        }

        if (spool is not null)
        {
            TryDelete(spool);
        }

        var aggregate = new TargetCounters();
        foreach (var t in totals)
        {
            aggregate.Add(t);
        }

        ClusterLog.DriverFinished(_logger, testId, aggregate.Count, aggregate.Errors, reportSeq);
        var finished = new FinishedMessage([.. totals.Select(CountersDto.From)], reportSeq, rows, stopped, error, startedAt, endedAt ?? _time.GetUtcNow())
        {
            DriverId = DriverId,
            TestId = testId,
            Seq = 2,
            SentAt = SentAtNow(),
        };

        Held(testId)?.Finished = finished;

        // Still "running" until the bus has the finished message: a heartbeat that says idle then comes after it (same
        // key, same order), so the orchestrator can take idle-without-finished for a driver that dropped its test.
        try
        {
            await _outbox.DeliverAsync(ClusterTopic.Status, finished, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Shutting down: the outbox keeps trying for a few seconds more (RunAsync).
        }

        lock (_sync)
        {
            _runningTestId = null;
        }
    }

    // A previous process of this driver that was killed left its kept reports and spooled rows behind (they are deleted
    // on close otherwise); nothing can use them now.
    private void RemoveLeftovers()
    {
        if (!Directory.Exists(_options.SpoolDirectory))
        {
            return;
        }

        foreach (var pattern in new[] { $"*-{DriverId}.reports", $"*-{DriverId}.arrow" })
        {
            foreach (var file in Directory.EnumerateFiles(_options.SpoolDirectory, pattern))
            {
                TryDelete(file);
            }
        }
    }

    /// <summary>The estimated offset to the orchestrator's clock (for tests and diagnostics).</summary>
    public TimeSpan ClockOffset => _clock.Offset;

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
