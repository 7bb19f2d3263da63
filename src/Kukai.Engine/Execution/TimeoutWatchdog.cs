namespace Kukai.Engine.Execution;

/// <summary>
/// Enforces <c>timeout_ms</c> for every lane with one periodic check (every 10 ms) instead of a timer or a
/// cancellation source per request: cheap on the hot path, precise to a few milliseconds. After an abort
/// (<see cref="RunState.Aborted"/>) it aborts whatever is in flight, so a request that was being handed to a
/// connection while the abort went through its lanes is caught within one period.
/// </summary>
internal sealed class TimeoutWatchdog : IDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(10);
    private readonly RunState _run;
    private readonly ITimer _timer;

    public TimeoutWatchdog(RunState run)
    {
        _run = run;
        _timer = run.Clock.TimeProvider.CreateTimer(static s => ((TimeoutWatchdog)s!).Check(), this, Period, Period);
    }

    public void Check()
    {
        var now = _run.Clock.Now;
        var aborted = Volatile.Read(ref _run.Aborted);
        foreach (var lane in _run.Lanes)
        {
            if (aborted)
            {
                lane.Abort();
            }
            else
            {
                lane.AbortIfExpired(now);
            }
        }
    }

    public void Dispose() => _timer.Dispose();
}
