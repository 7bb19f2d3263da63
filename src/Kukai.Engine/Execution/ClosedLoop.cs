namespace Kukai.Engine.Execution;

/// <summary>
/// Unlimited avalanche: each lane sends its next request as soon as the previous one completes (a closed model,
/// first come first served), with <c>concurrency</c> lanes busy — constant, or ramped by concurrency stages.
/// Latency counts from the actual send.
/// </summary>
internal sealed class ClosedLoop
{
    private static readonly TimeSpan RampPeriod = TimeSpan.FromMilliseconds(20);
    private readonly RunState _run;
    private readonly ConcurrencySchedule _schedule;
    private long _remaining;
    private long _endTicks;
    private int _active;
    private TaskCompletionSource _activeRaised = NewSignal();

    public ClosedLoop(RunState run, ConcurrencySchedule schedule, long? requests)
    {
        _run = run;
        _schedule = schedule;
        _remaining = requests ?? long.MaxValue;
        _active = schedule.At(0);
    }

    /// <param name="startTicks">When the run started.</param>
    /// <param name="endTicks">When its duration ends (0: no time bound): no request starts at or after it. Checked as each
    /// request is taken, not left to a timer, which fires late.</param>
    public async Task RunAsync(long startTicks, long endTicks)
    {
        _endTicks = endTicks;
        using var ramp = _schedule.IsConstant
            ? null
            : _run.Clock.TimeProvider.CreateTimer(_ => UpdateActive(startTicks), null, RampPeriod, RampPeriod);
        // No more lanes than requests (a million lanes for five requests is memory and time for nothing).
        var loops = new Task[(int)Math.Min(_schedule.Maximum, Math.Max(1, Volatile.Read(ref _remaining)))];
        for (var i = 0; i < loops.Length; i++)
        {
            var lane = _run.NewLane();
            loops[i] = Task.Run(() => LoopAsync(lane));
        }

        await Task.WhenAll(loops).ConfigureAwait(false);
    }

    /// <summary>Wakes lanes parked by a ramp; called after setting <see cref="RunState.StopIssuing"/>.</summary>
    public void WakeAll()
    {
        // The caller's write of StopIssuing must be visible before the signal is read: a lane that takes a newer
        // signal (swapped in by a raise after this read) then sees the stop when it checks after taking it.
        Interlocked.MemoryBarrier();
        Volatile.Read(ref _activeRaised).TrySetResult();
    }

    private async Task LoopAsync(Lane lane)
    {
        while (true)
        {
            // Take the signal before checking the stop flag and the concurrency: a raise or a stop that happens after
            // the checks completes this signal (or one that replaced it after the raise), so no wake-up is lost
            // between checking and waiting.
            var raised = Volatile.Read(ref _activeRaised);
            if (Volatile.Read(ref _run.StopIssuing))
            {
                return;
            }

            if (lane.Index >= Volatile.Read(ref _active))
            {
                // Parked by the ramp: wait until concurrency rises again or the run stops issuing.
                await raised.Task.ConfigureAwait(false);
                continue;
            }

            // The time the duration is checked against is the request's start: none starts at or after the end.
            var now = _run.Clock.Now;
            if (!TryTake(now))
            {
                return;
            }

            await lane.SendOneAsync(0, 0, paced: false, taken: now).ConfigureAwait(false);
        }
    }

    private bool TryTake(long now)
    {
        if (!_run.MayStart(now, _endTicks))
        {
            Volatile.Write(ref _run.StopIssuing, true);
            WakeAll();
            return false;
        }

        if (Volatile.Read(ref _remaining) == long.MaxValue)
        {
            return true;
        }

        if (Interlocked.Decrement(ref _remaining) >= 0)
        {
            return true;
        }

        Volatile.Write(ref _run.StopIssuing, true);
        WakeAll();
        return false;
    }

    private void UpdateActive(long startTicks)
    {
        var elapsed = _run.Clock.TicksToSeconds(_run.Clock.Now - startTicks);
        var next = _schedule.At(elapsed);
        var previous = Interlocked.Exchange(ref _active, next);
        if (next > previous)
        {
            Interlocked.Exchange(ref _activeRaised, NewSignal()).TrySetResult();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
