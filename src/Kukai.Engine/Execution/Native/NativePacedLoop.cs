using System.Runtime.CompilerServices;

namespace Kukai.Engine.Execution.Native;

/// <summary>
/// Paced runs (tsunami, and avalanche with an rps ceiling) on one native event loop (<see cref="EventLoop"/>): the
/// same model as <see cref="PacedDispatcher"/> — each request leaves at its intended start on an idle connection;
/// when every connection is busy a new one opens, up to <c>maxLanes</c>; then requests wait in a FIFO backlog and
/// leave late; past <c>capacity</c> (busy plus waiting) they are dropped and counted — but the pacing, the sends and
/// the responses all happen on the loop's thread, which sleeps in <c>epoll_pwait2</c> until the next request is due
/// or a response arrives. No hand-offs between threads, so the schedule is kept on a small machine under full load.
/// </summary>
/// <remarks>
/// Before the start the loop opens the connections the first rate needs (about 2 ms of requests, at least one, at most
/// 256; bounded to 2 s), so the first second is not spent connecting.
/// </remarks>
internal sealed class NativePacedLoop : IEventLoopOwner, IPacedLoop
{
    private readonly RunState _run;
    private readonly RateSchedule _schedule;
    private readonly long _requests;
    private readonly ManualResetEventSlim _started = new();
    private readonly EventLoop _loop;
    private long _issued;
    private long _startTicks;
    private long _endTicks;
    private bool _scheduleDone;

    public NativePacedLoop(RunState run, RateSchedule schedule, long? requests, int maxLanes, int capacity, NativeTarget[] targets)
    {
        _run = run;
        _schedule = schedule;
        _requests = requests ?? long.MaxValue;
        MaxLanes = Math.Max(1, maxLanes);
        Capacity = Math.Max(capacity, MaxLanes);
        _loop = new EventLoop(run, this, targets, []) { Pacer = this };
    }

    public int MaxLanes { get; }

    public int Capacity { get; }

    /// <summary>Connections to open before the start (see the remarks).</summary>
    public int PrewarmCount { get; private set; }

    /// <summary>When the next request is due (clock ticks); <see cref="long.MaxValue"/> once the schedule is over.</summary>
    public long NextDue { get; private set; } = long.MaxValue;

    public int Active => int.MaxValue;

    public bool IssuingOver => Volatile.Read(ref _run.StopIssuing) || _scheduleDone;

    public bool TryTake(long now) => true; // the schedule is the budget

    public bool IssuedEveryRequest => _issued >= _requests;

    /// <summary>Whether a request waiting for a lane may still leave at <paramref name="now"/> (<see cref="RunState.MayStart"/>).</summary>
    public bool BacklogOpen(long now) => _run.MayStart(now, _endTicks);

    /// <summary>Starts the loop's thread, which opens the first connections; completes when they are open (or 2 s).</summary>
    public Task PrepareAsync(double firstRate)
    {
        PrewarmCount = PacedDispatcher.PrewarmCount(firstRate, MaxLanes);
        _loop.Start();
        return _loop.Prepared;
    }

    /// <summary>Runs the schedule from <paramref name="startTicks"/> until every request is answered or dropped.</summary>
    public async Task RunAsync(long startTicks, long endTicks)
    {
        _startTicks = startTicks;
        _endTicks = endTicks;
        Advance();
        _started.Set();
        try
        {
            await _loop.Completion.ConfigureAwait(false);
        }
        finally
        {
            _started.Dispose();
        }
    }

    /// <summary>On the loop's thread: blocks until <see cref="RunAsync"/> gives the start.</summary>
    public void WaitForStart() => _started.Wait();

    /// <summary>On the loop's thread: moves <see cref="NextDue"/> to the next request of the schedule.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Advance()
    {
        if (_scheduleDone || _issued >= _requests)
        {
            Finish();
            return;
        }

        var seconds = _schedule.Next();
        var due = double.IsPositiveInfinity(seconds) ? long.MaxValue : _startTicks + _run.Clock.SecondsToTicks(seconds);
        if (due == long.MaxValue || (_endTicks != 0 && due >= _endTicks))
        {
            Finish();
            return;
        }

        _issued++;
        NextDue = due;
    }

    /// <summary>On the loop's thread: no more requests (the schedule ran out, or issuing stopped).</summary>
    public void Finish()
    {
        _scheduleDone = true;
        NextDue = long.MaxValue;
    }
}
