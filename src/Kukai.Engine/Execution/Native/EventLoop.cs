using System.Runtime.CompilerServices;
using Kukai.Engine.Histograms;
using Kukai.Engine.Metrics;
using Kukai.Engine.Protocols;
using Kukai.Engine.Timing;

namespace Kukai.Engine.Execution.Native;

/// <summary>
/// An epoll event loop on a dedicated thread that drives its lanes' HTTP/1.1 requests with plain system calls, the
/// way wrk does: edge-triggered sockets registered once, one <c>send</c> per request, <c>recv</c> until the response
/// is complete. No tasks, no thread-pool hops, no allocation per request.
/// </summary>
/// <remarks>
/// Each request, step by step:
/// <list type="number">
/// <item><see cref="StartNext"/> takes a request from the budget, picks the target, stamps the send time;</item>
/// <item>connects a non-blocking socket when the lane has none for the target (EPOLLOUT says when it is done);</item>
/// <item><see cref="Write"/> sends the encoded request (EPOLLOUT again if the socket buffer is full);</item>
/// <item><see cref="Read"/> receives and parses on EPOLLIN edges until the response is complete;</item>
/// <item><see cref="Complete"/> records the outcome and queues the lane for its next request (never recursion: a
/// target refusing connections cannot grow the stack).</item>
/// </list>
/// Every 10 ms the loop also enforces timeouts, follows concurrency stages, and honours an abort. The per-request
/// methods are compiled fully optimised on first use (no tiering, no on-stack replacement while the loop runs), so
/// the first second of a test is not spent in slower code.
/// <para>
/// Paced (with a <see cref="Pacer"/>): lanes are created as needed, up to the pacer's maximum; a request due when no
/// lane is idle waits in a backlog (or is dropped past the pacer's capacity) and leaves on the next lane to finish,
/// with its intended start kept. Between events the loop sleeps until the next request is due, or, with every lane
/// busy, until one is answered.
/// </para>
/// </remarks>
internal sealed unsafe class EventLoop
{
    private const int MaxEvents = 256;
    private const int TickMs = 10;
    private const int MaxDuePerPass = 4096;

    private readonly RunState _run;
    private readonly IEventLoopOwner _owner;
    private readonly NativeTarget[] _targets;
    private readonly List<NativeConnection> _connections;
    private readonly Queue<NativeConnection> _ready = new();
    private readonly Stack<NativeConnection> _idle = new();
    private readonly Queue<long> _backlog = new();
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _prepared = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _epoll = -1;
    private int _busy;

    public EventLoop(RunState run, IEventLoopOwner owner, NativeTarget[] targets, NativeConnection[] connections)
    {
        _run = run;
        _owner = owner;
        _targets = targets;
        _connections = [.. connections];
        for (var i = 0; i < connections.Length; i++)
        {
            connections[i].Slot = i;
        }
    }

    /// <summary>The types whose code the loop runs per request: compiled before the start (<see cref="JitAhead"/>).</summary>
    private static readonly Type[] HotPath =
    [
        typeof(EventLoop), typeof(NativeConnection), typeof(NativePacedLoop), typeof(Libc), typeof(Http1ResponseParser),
        typeof(RequestOutcome), typeof(ErrorKinds), typeof(RunState), typeof(RunMetrics), typeof(MetricsStripe),
        typeof(TargetCounters), typeof(LatencyHistogram), typeof(RateSchedule), typeof(TargetSelector), typeof(FastRandom),
        typeof(TimestampClock),
    ];

    /// <summary>Compiles the loop's code now (once per process), so a run that starts next does not spend its first
    /// tens of milliseconds compiling (a 0.1 s avalanche sent nothing).</summary>
    public static void PrepareCode() => JitAhead.Prepare(HotPath);

    /// <summary>Set for a paced run: the loop keeps its schedule.</summary>
    public NativePacedLoop? Pacer { get; init; }

    public Task Completion => _done.Task;

    /// <summary>Paced runs: completes once the first connections are open (or could not be), before the start.</summary>
    public Task Prepared => _prepared.Task;

    public void Start()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "kukai-event-loop" };
        thread.Start();
    }

    private void Run()
    {
        try
        {
            JitAhead.Prepare(HotPath);
            _epoll = Libc.EpollCreate1(Libc.SockCloExec);
            if (_epoll < 0)
            {
                throw new InvalidOperationException($"epoll_create1 failed (errno {Libc.Errno})");
            }

            if (Pacer is { } pacer)
            {
                Prewarm(pacer.PrewarmCount);
                _prepared.TrySetResult();
                pacer.WaitForStart();
            }

            Loop();
            _done.TrySetResult();
        }
        catch (Exception ex)
        {
            _run.ReportUnexpected(ex);
            _prepared.TrySetResult();
            _done.TrySetException(ex);
        }
        finally
        {
            foreach (var c in _connections)
            {
                for (var t = 0; t < c.Fds.Length; t++)
                {
                    CloseFd(c, t);
                }
            }

            if (_epoll >= 0)
            {
                _ = Libc.Close(_epoll);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Loop()
    {
        var clock = _run.Clock;
        var tick = clock.MicrosecondsToTicks(TickMs * 1000);
        var events = stackalloc Libc.EpollEvent[MaxEvents];
        for (var i = _connections.Count - 1; i >= 0; i--)
        {
            if (Pacer is null)
            {
                Enqueue(_connections[i]);
            }
            else
            {
                _idle.Push(_connections[i]);
            }
        }

        var lastTick = clock.Now;
        while (true)
        {
            if (Pacer is { } pacer)
            {
                Pace(pacer, clock.Now);
            }

            while (_ready.TryDequeue(out var next))
            {
                next.Queued = false;
                StartNext(next);
            }

            if (_busy == 0 && _owner.IssuingOver && _backlog.Count == 0)
            {
                return;
            }

            var n = Wait(events);
            if (n < 0)
            {
                var errno = Libc.Errno;
                if (errno == Libc.EIntr)
                {
                    continue;
                }

                throw new InvalidOperationException($"epoll_wait failed (errno {errno})");
            }

            for (var i = 0; i < n; i++)
            {
                var data = events[i].Data;
                OnEvent(_connections[(int)(data >> 8)], (int)(data & 0xFF), events[i].Events);
            }

            var now = clock.Now;
            if (now - lastTick >= tick)
            {
                lastTick = now;
                Housekeeping(now);
            }
        }
    }

    // Waits for events: not at all when lanes are ready, until the next paced request is due (spinning the last
    // 100 µs), or up to the housekeeping tick. A paced loop whose every lane is busy with no room for another waits
    // for the target, not for the schedule: a request due meanwhile could not leave anyway (it waits in the backlog
    // with its intended start kept, or is dropped past the capacity, either way when the loop wakes), and spinning
    // would take the CPU from the target that must answer first — on a small machine, the very core it runs on.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Wait(Libc.EpollEvent* events)
    {
        if (_ready.Count > 0)
        {
            return Libc.EpollWait(_epoll, events, MaxEvents, 0);
        }

        if (Pacer is not { NextDue: var due } pacer || due == long.MaxValue || EveryLaneBusy(pacer))
        {
            return Libc.EpollWait(_epoll, events, MaxEvents, TickMs);
        }

        var clock = _run.Clock;
        var us = Math.Min(clock.TicksToMicroseconds(due - clock.Now), TickMs * 1000L) - 100;
        if (us <= 0)
        {
            return Libc.EpollWait(_epoll, events, MaxEvents, 0);
        }

        if (Libc.HasEpollPwait2)
        {
            var timeout = new Libc.Timespec { Seconds = 0, Nanoseconds = us * 1000 };
            return Libc.EpollPwait2(_epoll, events, MaxEvents, &timeout, 0);
        }

        return Libc.EpollWait(_epoll, events, MaxEvents, (int)(us / 1000)); // 0 below a millisecond: spin
    }

    // Paced: hands every request now due to an idle lane (a new one while under the maximum), else the backlog, else
    // drops it. A stop ends the schedule; a stop or the duration's end drops the backlog.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Pace(NativePacedLoop pacer, long now)
    {
        if (Volatile.Read(ref _run.StopIssuing))
        {
            pacer.Finish();
        }

        if (_backlog.Count > 0 && !pacer.BacklogOpen(now))
        {
            while (_backlog.TryDequeue(out _))
            {
                _run.Metrics.RecordDropped();
            }
        }

        // At most MaxDuePerPass requests a pass: a schedule far behind (a rate beyond the machine) still lets the loop
        // read responses, enforce timeouts and see a stop between passes.
        for (var budget = MaxDuePerPass; pacer.NextDue <= now && budget > 0; budget--)
        {
            var due = pacer.NextDue;
            if (_idle.TryPop(out var lane) || TryNewLane(pacer, out lane))
            {
                lane.IntendedTicks = lane.LaneFreeTicks = due;
                Enqueue(lane);
            }
            else if (_busy + _ready.Count + _backlog.Count < pacer.Capacity)
            {
                _backlog.Enqueue(due);
            }
            else
            {
                _run.Metrics.RecordDropped();
            }

            pacer.Advance();
        }
    }

    // Paced: no lane is idle and no new one may open, so a request due now could not leave.
    private bool EveryLaneBusy(NativePacedLoop pacer) => _idle.Count == 0 && AtLaneLimit(pacer);

    private bool AtLaneLimit(NativePacedLoop pacer) => _connections.Count >= pacer.MaxLanes;

    private bool TryNewLane(NativePacedLoop pacer, out NativeConnection lane)
    {
        if (AtLaneLimit(pacer))
        {
            lane = null!;
            return false;
        }

        var index = _connections.Count;
        lane = NativeConnection.ForLane(index, _targets.Length, _run.Seed);
        lane.Slot = index;
        _connections.Add(lane);
        return true;
    }

    // Paced, before the start: opens the first connections, spread over the targets, and waits (2 s at most) for them.
    private void Prewarm(int count)
    {
        var pending = 0;
        for (var i = 0; i < count && TryNewLane(Pacer!, out var lane); i++)
        {
            lane.Target = i % _targets.Length;
            if (BeginConnect(lane) >= 0)
            {
                pending++;
            }
        }

        var clock = _run.Clock;
        var deadline = clock.Now + clock.SecondsToTicks(2);
        var events = stackalloc Libc.EpollEvent[MaxEvents];
        while (pending > 0 && clock.Now < deadline && !Volatile.Read(ref _run.StopIssuing))
        {
            var n = Libc.EpollWait(_epoll, events, MaxEvents, TickMs);
            for (var i = 0; i < n; i++)
            {
                var c = _connections[(int)(events[i].Data >> 8)];
                var target = (int)(events[i].Data & 0xFF);
                if ((events[i].Events & (Libc.EpollOut | Libc.EpollErr | Libc.EpollHup)) == 0 || c.Fds[target] < 0)
                {
                    continue;
                }

                pending--;
                if (!Connected(c.Fds[target]))
                {
                    CloseFd(c, target); // the first request finds out again, and counts it
                }
            }
        }
    }

    // Connects the lane to its target on a new non-blocking socket registered with the loop: 0 connected, 1 in
    // progress (EPOLLOUT tells), -1 failed (no socket left open).
    private int BeginConnect(NativeConnection c)
    {
        var fd = OpenSocket(c);
        if (fd < 0)
        {
            return -1;
        }

        int result;
        fixed (byte* address = _targets[c.Target].SocketAddress)
        {
            result = Libc.Connect(fd, address, _targets[c.Target].SocketAddress!.Length);
        }

        if (result == 0)
        {
            return 0;
        }

        if (Libc.Errno == Libc.EInProgress)
        {
            return 1;
        }

        CloseFd(c, c.Target);
        return -1;
    }

    // A non-blocking socket for the lane's target, registered with the loop; -1 when none could be made.
    private int OpenSocket(NativeConnection c)
    {
        var target = _targets[c.Target];
        if (target.SocketAddress is null)
        {
            return -1;
        }

        var fd = Libc.Socket(target.AddressFamily, Libc.SockStream | Libc.SockNonBlock | Libc.SockCloExec, 0);
        if (fd < 0)
        {
            return -1; // out of file descriptors, typically
        }

        c.Fds[c.Target] = fd;
        var one = 1;
        _ = Libc.SetSockOpt(fd, Libc.IpProtoTcp, Libc.TcpNoDelay, &one, sizeof(int));
        var ev = new Libc.EpollEvent
        {
            Events = Libc.EpollIn | Libc.EpollOut | Libc.EpollRdHup | Libc.EpollEt,
            Data = ((ulong)c.Slot << 8) | (uint)c.Target,
        };
        if (Libc.EpollCtl(_epoll, Libc.EpollCtlAdd, fd, &ev) < 0)
        {
            CloseFd(c, c.Target);
            return -1;
        }

        return fd;
    }

    // Timeouts, an abort, and lanes a concurrency ramp parks or wakes.
    private void Housekeeping(long now)
    {
        var aborted = Volatile.Read(ref _run.Aborted);
        var active = _owner.Active;
        foreach (var c in _connections)
        {
            if (c.State != NativeConnection.Phase.Idle && (aborted || now > c.Deadline))
            {
                CloseFd(c, c.Target);
                Complete(c, ErrorKind.Timeout);
            }
            else if (Pacer is null && c.State == NativeConnection.Phase.Idle && !c.Queued && c.Index < active && !_owner.IssuingOver)
            {
                Enqueue(c); // parked by a ramp that has since raised concurrency
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void StartNext(NativeConnection c)
    {
        var now = _run.Clock.Now;
        if (Pacer is null && (c.Index >= _owner.Active || !_owner.TryTake(now)))
        {
            return; // parked (a ramp) or done: Housekeeping wakes parked lanes
        }

        var target = _run.Selector.Pick(ref c.Random);
        c.Target = target;
        c.BytesSent = c.BytesReceived = 0;
        c.SendOffset = c.Start = c.End = 0;
        c.ReadPending = false;
        c.Parser.Reset(_targets[target].Head);
        _run.Metrics.CurrentStripe.AddSent(target);
        _busy++;
        c.SendTicks = now;
        if (Pacer is null)
        {
            c.IntendedTicks = c.LaneFreeTicks = c.SendTicks;
        }

        c.Deadline = c.SendTicks + _run.TimeoutTicks;
        if (c.Fds[target] >= 0)
        {
            c.State = NativeConnection.Phase.Sending;
            Write(c);
        }
        else
        {
            Connect(c);
        }
    }

    private void Connect(NativeConnection c)
    {
        switch (BeginConnect(c))
        {
            case 0:
                c.State = NativeConnection.Phase.Sending;
                Write(c);
                break;
            case 1:
                c.State = NativeConnection.Phase.Connecting;
                break;
            default:
                Complete(c, ErrorKind.Connect);
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void OnEvent(NativeConnection c, int target, uint events)
    {
        if (c.State == NativeConnection.Phase.Idle || target != c.Target)
        {
            // A kept-alive socket the lane is not using: the server closed it (or sent what it should not). Close it
            // now so the next request reconnects instead of failing on a dead connection.
            if ((events & (Libc.EpollIn | Libc.EpollHup | Libc.EpollRdHup | Libc.EpollErr)) != 0)
            {
                CloseFd(c, target);
            }

            return;
        }

        switch (c.State)
        {
            case NativeConnection.Phase.Connecting:
                if ((events & (Libc.EpollOut | Libc.EpollErr | Libc.EpollHup)) != 0)
                {
                    if (Connected(c.Fds[target]))
                    {
                        c.State = NativeConnection.Phase.Sending;
                        c.ReadPending |= (events & Libc.EpollIn) != 0;
                        Write(c);
                    }
                    else
                    {
                        CloseFd(c, target);
                        Complete(c, ErrorKind.Connect);
                    }
                }

                break;
            case NativeConnection.Phase.Sending:
                c.ReadPending |= (events & (Libc.EpollIn | Libc.EpollHup | Libc.EpollRdHup)) != 0;
                if ((events & (Libc.EpollOut | Libc.EpollErr | Libc.EpollHup)) != 0)
                {
                    Write(c);
                }

                break;
            case NativeConnection.Phase.Receiving:
                if ((events & (Libc.EpollIn | Libc.EpollHup | Libc.EpollRdHup | Libc.EpollErr)) != 0)
                {
                    Read(c);
                }

                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Write(NativeConnection c)
    {
        var request = _targets[c.Target].Request;
        var fd = c.Fds[c.Target];
        fixed (byte* p = request)
        {
            while (c.SendOffset < request.Length)
            {
                var n = Libc.Send(fd, p + c.SendOffset, request.Length - c.SendOffset, Libc.MsgNoSignal);
                if (n > 0)
                {
                    c.SendOffset += (int)n;
                    c.BytesSent += n;
                    continue;
                }

                var errno = Libc.Errno;
                if (n < 0 && errno == Libc.EIntr)
                {
                    continue;
                }

                if (n < 0 && errno == Libc.EAgain)
                {
                    c.State = NativeConnection.Phase.Sending; // EPOLLOUT resumes it
                    return;
                }

                CloseFd(c, c.Target);
                Complete(c, ErrorKind.Reset);
                return;
            }
        }

        c.State = NativeConnection.Phase.Receiving;
        if (c.ReadPending)
        {
            Read(c);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Read(NativeConnection c)
    {
        c.ReadPending = false;
        var fd = c.Fds[c.Target];
        var buffer = c.Buffer;
        fixed (byte* b = buffer)
        {
            while (true)
            {
                if (c.End == buffer.Length)
                {
                    if (c.Start == 0)
                    {
                        CloseFd(c, c.Target);
                        Complete(c, ErrorKind.Protocol, c.Parser.Status); // one line fills the whole buffer
                        return;
                    }

                    buffer.AsSpan(c.Start, c.End - c.Start).CopyTo(buffer);
                    c.End -= c.Start;
                    c.Start = 0;
                }

                var n = Libc.Recv(fd, b + c.End, buffer.Length - c.End, 0);
                if (n > 0)
                {
                    c.BytesReceived += n;
                    c.End += (int)n;
                    var status = c.Parser.Parse(buffer.AsSpan(c.Start, c.End - c.Start), out var consumed);
                    c.Start += consumed;
                    if (status == Http1ParseStatus.Complete)
                    {
                        var keep = c.Parser.KeepAlive && c.Start == c.End;
                        if (!keep)
                        {
                            CloseFd(c, c.Target);
                        }

                        Complete(c, ErrorKinds.FromStatus(c.Parser.Status), c.Parser.Status);
                        return;
                    }

                    if (status == Http1ParseStatus.Invalid)
                    {
                        CloseFd(c, c.Target);
                        Complete(c, ErrorKind.Protocol, c.Parser.Status);
                        return;
                    }

                    if (c.Start == c.End)
                    {
                        c.Start = c.End = 0;
                    }

                    continue;
                }

                if (n == 0)
                {
                    var error = c.Parser.OnEndOfStream() ? ErrorKinds.FromStatus(c.Parser.Status) : ErrorKind.Reset;
                    CloseFd(c, c.Target);
                    Complete(c, error, c.Parser.Status);
                    return;
                }

                var errno = Libc.Errno;
                if (errno == Libc.EIntr)
                {
                    continue;
                }

                if (errno == Libc.EAgain)
                {
                    return; // the next EPOLLIN edge continues it
                }

                CloseFd(c, c.Target);
                Complete(c, ErrorKind.Reset, c.Parser.Status);
                return;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Complete(NativeConnection c, ErrorKind error, int status = 0)
    {
        var end = _run.Clock.Now;
        c.State = NativeConnection.Phase.Idle;
        _busy--;
        var outcome = new RequestOutcome(error, status, c.BytesSent, c.BytesReceived);
        try
        {
            _run.Metrics.RecordCompletion(_run.Metrics.CurrentStripe, c.Target, c.IntendedTicks, c.LaneFreeTicks, c.SendTicks, end, outcome);
        }
        catch (Exception ex)
        {
            _run.ReportUnexpected(ex); // a failing record sink; the counters are already updated
        }

        if (Pacer is not { } pacer)
        {
            Enqueue(c);
        }
        else if (_backlog.Count > 0 && pacer.BacklogOpen(end) && _backlog.TryDequeue(out var due))
        {
            c.IntendedTicks = due; // a request that waited for a lane: it leaves late
            c.LaneFreeTicks = end;
            Enqueue(c);
        }
        else
        {
            _idle.Push(c);
        }
    }

    private void Enqueue(NativeConnection c)
    {
        if (!c.Queued)
        {
            c.Queued = true;
            _ready.Enqueue(c);
        }
    }

    // After a non-blocking connect signalled EPOLLOUT/ERR/HUP: whether it succeeded (SO_ERROR is 0).
    private static bool Connected(int fd)
    {
        int error = 0, size = sizeof(int);
        return Libc.GetSockOpt(fd, Libc.SolSocket, Libc.SoError, &error, &size) == 0 && error == 0;
    }

    private static void CloseFd(NativeConnection c, int target)
    {
        var fd = c.Fds[target];
        if (fd >= 0)
        {
            c.Fds[target] = -1;
            _ = Libc.Close(fd); // closing removes it from the epoll set
        }
    }
}
