using Kukai.Engine.Execution.Native;
using Kukai.Engine.Health;
using Kukai.Engine.Metrics;
using Kukai.Engine.Plans;
using Kukai.Engine.Protocols;
using Kukai.Engine.Timing;

namespace Kukai.Engine.Execution;

/// <summary>
/// Runs one driver's share of a plan and measures it. Framework-free: the same runner serves standalone runs and
/// orchestrated drivers. Per-interval measurements are delivered to a callback once a second (aligned to the start),
/// and once more at the end, so the intervals add up exactly to the run.
/// </summary>
/// <remarks>
/// Steps of <see cref="RunAsync"/>:
/// <list type="number">
/// <item>open a paced run's first connections, start the timeout watchdog, wait for the start time (drivers of one test share it);</item>
/// <item>run the schedule from the start — a closed loop for an unlimited avalanche, a paced loop otherwise — and, as it
/// begins, the interval reporter and (for a closed loop) the duration timer; a paced loop ends at the duration by its
/// own clock;</item>
/// <item>when every request has an outcome (or was dropped), deliver the last interval and flush per-request records.</item>
/// </list>
/// </remarks>
public sealed class LoadRunner : IAsyncDisposable
{
    private readonly LoadPlan _plan;
    private readonly RunContext _context;
    private readonly RunState _run;
    private readonly Lock _reportLock = new();
    private long _nextSecond;
    private bool _finished;
    private bool _stopped;
    private ClosedLoop? _closedLoop;

    /// <summary>Creates a runner; the plan must be valid (<see cref="LoadPlanValidator"/>), else <see cref="ArgumentException"/>.</summary>
    public LoadRunner(LoadPlan plan, RunContext context, TimeProvider time, IRequestRecordSink? sink = null)
    {
        var errors = LoadPlanValidator.Validate(plan);
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid plan: " + string.Join("; ", errors), nameof(plan));
        }

        _plan = plan;
        _context = context;
        Clock = new TimestampClock(time);
        Metrics = new RunMetrics(plan.Targets.Length, Clock, sink, plan.RecordRequests);
        var template = RequestTemplate.FromPlan(plan);
        var factories = new IRequestChannelFactory[plan.Targets.Length];
        for (var i = 0; i < factories.Length; i++)
        {
            factories[i] = RequestChannelFactory.Create(plan.Targets[i], template);
        }

        var seed = context.Seed ^ ((ulong)(uint)context.DriverIndex << 32) ^ StableHash(context.DriverId);
        _run = new RunState(Clock, Metrics, factories, new TargetSelector(plan.Targets), Clock.MicrosecondsToTicks(plan.TimeoutMs * 1000L), seed);
    }

    public TimestampClock Clock { get; }

    public RunMetrics Metrics { get; }

    /// <summary>How far ahead of now a paced run whose start has passed begins: time to set up around the schedule.</summary>
    internal static TimeSpan PacedLead { get; } = TimeSpan.FromMilliseconds(20);

    public LoadPlan Plan => _plan;

    /// <summary>Stops issuing new requests; requests in flight finish (or time out). Safe from any thread.</summary>
    public void Stop()
    {
        _stopped = true;
        Volatile.Write(ref _run.StopIssuing, true);
        _closedLoop?.WakeAll();
    }

    /// <summary>Stops issuing and aborts requests in flight (they count as timeouts).</summary>
    public void Abort()
    {
        // The watchdog keeps aborting while the run drains: a lane may be starting a request right now, after the stop
        // flag was checked and before this loop can see it in flight.
        Volatile.Write(ref _run.Aborted, true);
        Stop();
        foreach (var lane in _run.Lanes)
        {
            lane.Abort();
        }
    }

    /// <summary>Runs the plan from <paramref name="startTicks"/> (a <see cref="Clock"/> timestamp; past = now).</summary>
    public async Task<RunResult> RunAsync(long startTicks, Action<IntervalSnapshot> onInterval)
    {
        ArgumentNullException.ThrowIfNull(onInterval);
        var clock = Clock;
        var time = clock.TimeProvider;

        // 1. The shared start. A paced run opens its first connections before it. A start already past when the run
        // begins (a late start message, or "now") begins now (a paced run: PacedLead from now, see 3): the schedule is
        // relative to it. A start in the future is kept exactly, even if the wait overshoots it, so drivers of one test
        // keep a common time base (requests the overshoot delays count as late).
        var native = NativeClosedLoop.CanRun(_run, _context);
        var paced = _plan.IsPaced() ? await NewPacedLoopAsync(native).ConfigureAwait(false) : null;
        if (paced is not null)
        {
            await paced.PrepareAsync(_plan.BaseRate() ?? _plan.Stages.Max(s => s.Rps) ?? 1).ConfigureAwait(false);
        }
        else if (native)
        {
            await Task.Run(EventLoop.PrepareCode).ConfigureAwait(false);
        }

        // 2. Host health, and the timeout watchdog of the managed lanes (a native loop keeps its own), ready before the
        // start.
        var health = new HostHealthSampler(time);
        using var watchdog = native ? null : new TimeoutWatchdog(_run);

        // 3. The schedule. A paced loop keeps it from its first request on its own thread, so it is handed the start at
        // once and waits for it there; a start already past begins PacedLead from now, which covers setting up the
        // reporter below before the first request is due. A closed loop starts when this thread
        // has waited for the start. Anything done between the start and the schedule would make the first requests late.
        if (paced is not null)
        {
            if (startTicks <= clock.Now)
            {
                startTicks = clock.Now + clock.SecondsToTicks(PacedLead.TotalSeconds);
            }
        }
        else
        {
            var startPassed = clock.Now - startTicks > clock.MicrosecondsToTicks(1000);
            await WaitUntilAsync(startTicks).ConfigureAwait(false);
            // A stop during the wait ends the run before its start: it "started" when it was stopped, so the result
            // never ends before it begins and the (empty) schedule is not aligned to a time that never came.
            if (startPassed || clock.Now < startTicks)
            {
                startTicks = clock.Now;
            }
        }

        var duration = _plan.EffectiveDurationSeconds();
        var endTicks = duration is { } d ? startTicks + clock.SecondsToTicks(d) : 0;
        // Every loop ends issuing at endTicks by its own clock; the timer also wakes a closed loop's lanes parked by a ramp.
        var schedule = RunScheduleAsync(paced, native, startTicks, endTicks);
        using var durationTimer = paced is null && endTicks != 0
            ? time.CreateTimer(_ => EndIssuing(), null, RemainingUntil(endTicks), Timeout.InfiniteTimeSpan)
            : null;
        using var stopReporter = new CancellationTokenSource();
        var reporter = ReportLoopAsync(startTicks, onInterval, health, stopReporter.Token);
        await schedule.ConfigureAwait(false);
        if (clock.Now < startTicks)
        {
            startTicks = clock.Now; // a paced run stopped before its start (see above)
        }

        // A schedule bounded by its duration lasts it: its last request may be due well before the end (rps 1 for
        // 2.9 s sends three), and ending then would make the test shorter and its rate higher than they were.
        if (paced is { IssuedEveryRequest: false } && endTicks != 0 && clock.Now < endTicks && !Volatile.Read(ref _run.StopIssuing))
        {
            await WaitUntilAsync(endTicks).ConfigureAwait(false);
        }

        // 4. The last (partial) interval, then the records.
        var end = clock.Now;
        await stopReporter.CancelAsync().ConfigureAwait(false);
        await reporter.ConfigureAwait(false);
        long intervals;
        lock (_reportLock)
        {
            _finished = true;
            var second = _nextSecond++;
            var elapsed = clock.TicksToSeconds(end - startTicks) - second;
            Deliver(onInterval, Metrics.TakeInterval(second, Math.Max(0, elapsed)) with { Health = health.Sample() });
            intervals = _nextSecond;
        }

        try
        {
            Metrics.FlushRecords();
        }
        catch (Exception ex)
        {
            _run.ReportUnexpected(ex); // the record sink failed; the measurements above are complete
        }

        return new RunResult(startTicks, end, _stopped, intervals, _run.Unexpected);

        TimeSpan RemainingUntil(long ticks) => TimeSpan.FromSeconds(Math.Max(0, clock.TicksToSeconds(ticks - clock.Now)));

        // Precisely, on a thread of its own, until a stop.
        Task WaitUntilAsync(long ticks) => Task.Factory.StartNew(
            () => PreciseWait.Until(clock, ticks, ref _run.StopIssuing),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }

    private async Task RunScheduleAsync(IPacedLoop? paced, bool native, long startTicks, long endTicks)
    {
        if (paced is not null)
        {
            await paced.RunAsync(startTicks, endTicks).ConfigureAwait(false);
            return;
        }

        var schedule = new ConcurrencySchedule(
            _plan.Stages.IsDefaultOrEmpty ? _plan.EffectiveConcurrency() : _plan.Concurrency ?? 1,
            _plan.Stages);
        if (native)
        {
            await new NativeClosedLoop(_run, schedule, _plan.Requests).RunAsync(startTicks, endTicks).ConfigureAwait(false);
            return;
        }

        _closedLoop = new ClosedLoop(_run, schedule, _plan.Requests);
        if (_run.StopIssuing)
        {
            _closedLoop.WakeAll();
        }

        await _closedLoop.RunAsync(startTicks, endTicks).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var lane in _run.Lanes)
        {
            await lane.DisposeChannelsAsync().ConfigureAwait(false);
        }

        foreach (var f in _run.Factories)
        {
            await f.DisposeAsync().ConfigureAwait(false);
        }
    }

    // FNV-1a over the UTF-16 code units: the same in every process (string.GetHashCode is randomised per process,
    // which would make a fixed RunContext.Seed give a different run each time).
    private static ulong StableHash(string text)
    {
        var hash = 0xCBF29CE484222325UL;
        foreach (var ch in text)
        {
            hash = (hash ^ ch) * 0x100000001B3UL;
        }

        return hash;
    }

    // A callback that throws (a bug above the engine) must not stop reporting while the load goes on: the interval
    // is lost to it, the exception is kept for the run's result.
    private void Deliver(Action<IntervalSnapshot> onInterval, IntervalSnapshot interval)
    {
        try
        {
            onInterval(interval);
        }
        catch (Exception ex)
        {
            _run.ReportUnexpected(ex);
        }
    }

    // Tsunami: lanes open on demand up to `connections`; requests waiting or in flight are bounded by `concurrency`.
    // Rate-limited avalanche: exactly `concurrency` lanes; a request due while all are busy waits (latency counts from
    // its intended start, as wrk2 does), up to a generous bound on the backlog.
    // Plain http:// targets on Linux x86-64 are paced by a native event loop; the rest by the managed dispatcher.
    private async Task<IPacedLoop> NewPacedLoopAsync(bool native)
    {
        var tsunami = _plan.Type == TestType.Tsunami;
        var maxLanes = tsunami ? _plan.EffectiveConnections() : _plan.EffectiveConcurrency();
        var capacity = tsunami ? _plan.EffectiveConcurrency() : PacedDispatcher.MaxBacklog;
        var schedule = new RateSchedule(_plan.BaseRate(), _plan.Stages, _context.Phase);
        if (native)
        {
            var targets = await NativeClosedLoop.ResolveTargetsAsync(_run).ConfigureAwait(false);
            return new NativePacedLoop(_run, schedule, _plan.Requests, maxLanes, capacity, targets);
        }

        return new PacedDispatcher(_run, schedule, _plan.Requests, maxLanes, capacity);
    }

    private void EndIssuing()
    {
        Volatile.Write(ref _run.StopIssuing, true);
        _closedLoop?.WakeAll();
    }

    private async Task ReportLoopAsync(long startTicks, Action<IntervalSnapshot> onInterval, HostHealthSampler health, CancellationToken ct)
    {
        var clock = Clock;
        var garbage = new GarbagePacer(GarbagePacer.DefaultThresholdBytes);
        try
        {
            while (true)
            {
                long second;
                lock (_reportLock)
                {
                    second = _nextSecond;
                }

                var due = startTicks + clock.SecondsToTicks(second + 1);
                var wait = clock.TicksToSeconds(due - clock.Now);
                if (wait > 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds(wait), clock.TimeProvider, ct).ConfigureAwait(false);
                }

                lock (_reportLock)
                {
                    if (_finished || ct.IsCancellationRequested)
                    {
                        return;
                    }

                    _nextSecond++;
                    Deliver(onInterval, Metrics.TakeInterval(second, 1.0) with { Health = health.Sample() });
                }

                garbage.CollectIfDue();
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended; the final interval is taken by RunAsync.
        }
    }
}
