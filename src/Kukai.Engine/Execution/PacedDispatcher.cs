namespace Kukai.Engine.Execution;

/// <summary>
/// Paced runs (tsunami, and avalanche with an rps ceiling): a dedicated pacer thread releases each request at its
/// intended start and hands it straight to an idle lane, which sends it from the pacer thread. Latency counts from
/// the intended start, so a slow target cannot hide queueing (no coordinated omission).
/// </summary>
/// <remarks>
/// When every lane is busy:
/// <list type="number">
/// <item>a new lane (connection) opens, up to <c>maxLanes</c> (tsunami: <c>connections</c>; avalanche: <c>concurrency</c>);</item>
/// <item>otherwise the request waits in a FIFO backlog and goes out on the next free lane, late (counted);</item>
/// <item>when busy lanes plus the backlog reach <c>capacity</c> (tsunami: <c>concurrency</c>; avalanche: <see cref="MaxBacklog"/>), the request is dropped: never
/// sent, counted, so a missed rate is never silent.</item>
/// </list>
/// When issuing stops (the duration's end, by the run's clock, or a stop), requests still in the backlog are dropped;
/// requests in flight finish. A run bounded only by its request count drains its backlog.
/// </remarks>
internal sealed class PacedDispatcher : IPacedLoop
{
    /// <summary>Most requests a rate-limited avalanche keeps waiting for a connection (8 MiB of start times).</summary>
    public const int MaxBacklog = 1 << 20;

    /// <summary>Handed to a parked lane to end its loop.</summary>
    private const long Shutdown = long.MinValue;

    private readonly RunState _run;
    private readonly RateSchedule _schedule;
    private readonly long _requests;
    private readonly int _maxLanes;
    private readonly int _capacity;
    private readonly Lock _sync = new();
    private readonly Stack<Lane> _idle = new();
    private readonly Queue<long> _backlog = new();
    private readonly List<Task> _loops = [];
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _busy;
    private int _laneCount;
    private bool _issuingDone;
    private long _endTicks;

    public PacedDispatcher(RunState run, RateSchedule schedule, long? requests, int maxLanes, int capacity)
    {
        _run = run;
        _schedule = schedule;
        _requests = requests ?? long.MaxValue;
        _maxLanes = maxLanes;
        _capacity = Math.Max(capacity, maxLanes);
    }

    /// <summary>
    /// Opens connections before the start, enough for the first rate at about 2 ms per request (at least one, at most
    /// the lane limit or 256), spread over the targets, so the first seconds are not spent connecting. Bounded to 2 s:
    /// a target that does not answer is left for the requests to find.
    /// </summary>
    public async Task PrepareAsync(double firstRate)
    {
        var count = PrewarmCount(firstRate, _maxLanes);
        var warming = new List<Task>(count);
        lock (_sync)
        {
            for (var i = 0; i < count; i++)
            {
                var lane = _run.NewLane();
                _laneCount++;
                _loops.Add(LaneLoopAsync(lane));
                _idle.Push(lane);
                warming.Add(lane.WarmUpAsync(i % _run.Factories.Length).AsTask());
            }
        }

        await Task.WhenAny(Task.WhenAll(warming), Task.Delay(TimeSpan.FromSeconds(2), _run.Clock.TimeProvider)).ConfigureAwait(false);
    }

    /// <summary>Connections a paced run opens before its start: ~2 ms of the first rate, at least one, at most the lane limit or 256.</summary>
    internal static int PrewarmCount(double firstRate, int maxLanes) =>
        (int)Math.Clamp(Math.Ceiling(firstRate * 0.002) + 1, 1, Math.Min(maxLanes, 256));

    /// <summary>Runs until every scheduled request is sent and answered or dropped. <paramref name="endTicks"/> 0 = no time bound.</summary>
    public async Task RunAsync(long startTicks, long endTicks)
    {
        _endTicks = endTicks;
        var pacer = new Thread(() => Pace(startTicks, endTicks)) { IsBackground = true, Name = "kukai-pacer" };
        pacer.Start();
        await _done.Task.ConfigureAwait(false);

        Task[] loops;
        lock (_sync)
        {
            foreach (var lane in _idle)
            {
                lane.Signal.Set(Shutdown);
            }

            loops = [.. _loops];
        }

        await Task.WhenAll(loops).ConfigureAwait(false);
    }

    public bool IssuedEveryRequest { get; private set; }

    private void Pace(long startTicks, long endTicks)
    {
        var clock = _run.Clock;
        try
        {
            long k = 0;
            for (; k < _requests; k++)
            {
                var seconds = _schedule.Next();
                if (double.IsPositiveInfinity(seconds))
                {
                    break;
                }

                var due = startTicks + clock.SecondsToTicks(seconds);
                if (endTicks != 0 && due >= endTicks)
                {
                    break;
                }

                PreciseWait.Until(clock, due, ref _run.StopIssuing);
                if (Volatile.Read(ref _run.StopIssuing))
                {
                    break;
                }

                Dispatch(due);
            }

            IssuedEveryRequest = k >= _requests;
        }
        catch (Exception ex)
        {
            _run.ReportUnexpected(ex);
        }
        finally
        {
            lock (_sync)
            {
                _issuingDone = true;
                DropBacklogIfClosed();
                CompleteIfIdle();
            }
        }
    }

    private void Dispatch(long due)
    {
        Lane? lane;
        lock (_sync)
        {
            if (_idle.TryPop(out lane))
            {
                _busy++;
            }
            else if (_laneCount < _maxLanes)
            {
                _laneCount++;
                _busy++;
                lane = null;
            }
            else
            {
                if (_busy + _backlog.Count < _capacity)
                {
                    _backlog.Enqueue(due);
                }
                else
                {
                    _run.Metrics.RecordDropped();
                }

                return;
            }
        }

        if (lane is null)
        {
            lane = _run.NewLane();
            var loop = LaneLoopAsync(lane);
            lock (_sync)
            {
                _loops.Add(loop);
            }
        }

        // Runs the lane's continuation inline: the request leaves from this thread, on time.
        lane.Signal.Set(due);
    }

    private async Task LaneLoopAsync(Lane lane)
    {
        while (true)
        {
            var due = await lane.Signal.WaitAsync().ConfigureAwait(false);
            if (due == Shutdown)
            {
                return;
            }

            var laneFree = due;
            while (true)
            {
                await lane.SendOneAsync(due, laneFree, paced: true).ConfigureAwait(false);
                lock (_sync)
                {
                    if (_backlog.Count > 0 && BacklogOpen() && _backlog.TryDequeue(out due))
                    {
                        laneFree = _run.Clock.Now; // it waited for this lane
                        continue;
                    }

                    DropBacklogIfClosed();
                    _busy--;
                    _idle.Push(lane);
                    CompleteIfIdle();
                    break;
                }
            }
        }
    }

    // Whether a request waiting for a lane may still leave now (RunState.MayStart).
    private bool BacklogOpen() => _run.MayStart(_run.Clock.Now, _endTicks);

    // Under _sync. Requests still waiting when the backlog closes were never sent: they count as dropped.
    // (When the schedule simply ran out, the backlog drains normally.)
    private void DropBacklogIfClosed()
    {
        if (_backlog.Count == 0 || BacklogOpen())
        {
            return;
        }

        while (_backlog.TryDequeue(out _))
        {
            _run.Metrics.RecordDropped();
        }
    }

    // Under _sync.
    private void CompleteIfIdle()
    {
        if (_issuingDone && _busy == 0 && _backlog.Count == 0)
        {
            _done.TrySetResult();
        }
    }
}
