using System.Collections.Concurrent;
using Kukai.Cluster.Messages;
using Kukai.Cluster.Transport;
using Kukai.Engine.Health;

namespace Kukai.Bench.Ingest;

/// <summary>
/// N drivers that speak the driver side of the protocol (SPEC §7) without generating load: they register, heartbeat
/// every second, acknowledge a start, send one <see cref="ReportMessage"/> per driver per second for the test's
/// seconds (seq 1..T, realistic histograms from <see cref="ReportFactory"/>), then a <see cref="FinishedMessage"/>
/// with exact totals, and answer resend requests. Everything is published from the thread that calls
/// <see cref="Run"/>, so that thread's CPU is the simulation's cost.
/// </summary>
internal sealed class SimulatedDrivers
{
    private static readonly HostHealth Health = new(12.5, 40, false);
    private readonly IClusterTransport[] _transports;
    private readonly ReportFactory _reports;
    private readonly string[] _ids;
    private readonly Dictionary<string, int> _index;
    private readonly long[] _statusSeq;
    private readonly int _seconds;
    private readonly TimeProvider _time;
    private readonly TaskCompletionSource<StartMessage> _start = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<DateTimeOffset> _reportsDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<ResendMessage> _resends = new();
    private long _publishFailures;
    private long _resent;

    public SimulatedDrivers(IClusterTransport[] transports, int count, int seconds, ReportFactory reports, TimeProvider time)
    {
        _transports = transports;
        _reports = reports;
        _seconds = seconds;
        _time = time;
        _ids = new string[count];
        _index = new Dictionary<string, int>(count, StringComparer.Ordinal);
        _statusSeq = new long[count];
        for (var i = 0; i < count; i++)
        {
            _ids[i] = $"sim-{i:D5}";
            _index[_ids[i]] = i;
        }
    }

    public IReadOnlyList<string> Ids => _ids;

    /// <summary>Completes with the start message of the test the drivers were given.</summary>
    public Task<StartMessage> Started => _start.Task;

    /// <summary>Completes (with the time) once every report and finished message was published.</summary>
    public Task<DateTimeOffset> ReportsDone => _reportsDone.Task;

    public long PublishFailures => Interlocked.Read(ref _publishFailures);

    public long Resent => Interlocked.Read(ref _resent);

    /// <summary>The control-topic handler: notes the start and queues resend requests for the publishing thread.</summary>
    public Task OnControlAsync(ClusterMessage message, CancellationToken ct)
    {
        switch (message)
        {
            case StartMessage start when start.Drivers.Count > 0 && _index.ContainsKey(start.Drivers[0]):
                _start.TrySetResult(start);
                break;
            case ResendMessage resend when _index.ContainsKey(resend.DriverId):
                _resends.Enqueue(resend);
                break;
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// The drivers' life, on the calling thread: register; heartbeat (idle) until a start arrives; acknowledge; at each
    /// second boundary after the start publish every driver's report and heartbeat, then call
    /// <paramref name="onSecond"/> with the second's index; send finished messages; heartbeat (idle) until
    /// <paramref name="ct"/> is cancelled. Bounded: gives up waiting for a start after <paramref name="startTimeout"/>.
    /// </summary>
    public void Run(Action<long> onSecond, TimeSpan startTimeout, CancellationToken ct)
    {
        PublishAll(i => (ClusterTopic.Status, new RegisterMessage("sim-host", Environment.ProcessId, "bench", 2, _time.GetUtcNow()) { DriverId = _ids[i], Seq = ++_statusSeq[i], SentAt = _time.GetUtcNow() }), ct);
        var deadline = _time.GetUtcNow() + startTimeout;
        while (!_start.Task.IsCompleted)
        {
            if (_time.GetUtcNow() > deadline || ct.IsCancellationRequested)
            {
                _reportsDone.TrySetException(new TimeoutException("no start message arrived"));
                return;
            }

            Heartbeats(null, 0, ct);
            Sleep(TimeSpan.FromSeconds(1), ct);
        }

        var start = _start.Task.Result;
        var mine = start.Drivers.Where(_index.ContainsKey).Select(d => _index[d]).ToArray();
        var position = start.Drivers.Select((d, i) => (d, i)).ToDictionary(x => x.d, x => x.i, StringComparer.Ordinal);
        PublishEach(mine, i => (ClusterTopic.Status, new AckMessage(position[_ids[i]], 0) { DriverId = _ids[i], TestId = start.TestId, Seq = 1, SentAt = _time.GetUtcNow() }), ct);
        for (long s = 0; s < _seconds && !ct.IsCancellationRequested; s++)
        {
            WaitBeating(start.StartAt + TimeSpan.FromSeconds(s + 1), start.TestId, s * _reports.PerReport, ct);
            var second = s;
            PublishEach(mine, i => (ClusterTopic.Metrics, Report(start.TestId, i, second)), ct);
            Heartbeats(start.TestId, (s + 1) * _reports.PerReport, ct);
            AnswerResends(ct);
            onSecond(s);
        }

        var ended = start.StartAt + TimeSpan.FromSeconds(_seconds);
        PublishEach(mine, i => (ClusterTopic.Status, new FinishedMessage([_reports.Totals(i)], _seconds, 0, false, null, start.StartAt, ended) { DriverId = _ids[i], TestId = start.TestId, Seq = 2, SentAt = _time.GetUtcNow() }), ct);
        _reportsDone.TrySetResult(_time.GetUtcNow());
        while (!ct.IsCancellationRequested)
        {
            Sleep(TimeSpan.FromSeconds(1), ct);
            if (ct.IsCancellationRequested)
            {
                break;
            }

            Heartbeats(null, 0, ct);
            AnswerResends(ct);
        }
    }

    private ReportMessage Report(string testId, int driver, long second) =>
        new(second, 1.0, [_reports.Report(driver, second)], Health) { DriverId = _ids[driver], TestId = testId, Seq = second + 1, SentAt = _time.GetUtcNow() };

    private void Heartbeats(string? testId, long done, CancellationToken ct) =>
        PublishAll(i => (ClusterTopic.Status, new HeartbeatMessage("sim-host", testId is null ? DriverState.Idle : DriverState.Running, testId, done, done, Health) { DriverId = _ids[i], Seq = ++_statusSeq[i], SentAt = _time.GetUtcNow() }), ct);

    private void AnswerResends(CancellationToken ct)
    {
        while (_resends.TryDequeue(out var resend))
        {
            var driver = _index[resend.DriverId];
            for (var seq = Math.Max(1, resend.FromSeq); seq <= Math.Min(_seconds, resend.ToSeq); seq++)
            {
                PublishEach([driver], _ => (ClusterTopic.Metrics, Report(resend.TestId, driver, seq - 1)), ct);
                Interlocked.Increment(ref _resent);
            }
        }
    }

    private void PublishAll(Func<int, (ClusterTopic, ClusterMessage)> make, CancellationToken ct) =>
        PublishEach(Enumerable.Range(0, _ids.Length).ToArray(), make, ct);

    // Publishes one message per driver concurrently and waits (bounded) until the bus accepted them all.
    private void PublishEach(int[] drivers, Func<int, (ClusterTopic, ClusterMessage)> make, CancellationToken ct)
    {
        var pending = new List<Task>(drivers.Length);
        foreach (var i in drivers)
        {
            var (topic, message) = make(i);
            var task = Publish(i, topic, message, ct);
            if (!task.IsCompletedSuccessfully)
            {
                pending.Add(task);
            }
        }

        if (pending.Count == 0)
        {
            return;
        }

        try
        {
            Task.WaitAll(pending.ToArray(), 30_000, ct);
        }
        catch (AggregateException)
        {
        }
        catch (OperationCanceledException)
        {
        }

        foreach (var t in pending)
        {
            if (!t.IsCompletedSuccessfully)
            {
                Interlocked.Increment(ref _publishFailures);
            }
        }
    }

    // The in-process transport throws synchronously once cancelled: a failed task either way.
    private Task Publish(int driver, ClusterTopic topic, ClusterMessage message, CancellationToken ct)
    {
        try
        {
            return _transports[driver % _transports.Length].PublishAsync(topic, message, ct);
        }
        catch (OperationCanceledException ex)
        {
            return Task.FromException(ex);
        }
    }

    // Sleeps until `when`, heartbeating every second meanwhile (as a real driver's heartbeat timer does).
    private void WaitBeating(DateTimeOffset when, string testId, long done, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var wait = when - _time.GetUtcNow();
            if (wait <= TimeSpan.Zero)
            {
                return;
            }

            if (wait <= TimeSpan.FromSeconds(1.2))
            {
                Sleep(wait, ct);
                return;
            }

            Sleep(TimeSpan.FromSeconds(1), ct);
            Heartbeats(testId, done, ct);
        }
    }

    private static void Sleep(TimeSpan wait, CancellationToken ct) => ct.WaitHandle.WaitOne(wait);
}
