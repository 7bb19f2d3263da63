namespace Kukai.Engine.Execution;

/// <summary>How a run ended.</summary>
/// <param name="StartTicks">The (synchronised) start, clock ticks.</param>
/// <param name="EndTicks">When the last response was in, clock ticks.</param>
/// <param name="Stopped">True when <see cref="LoadRunner.Stop"/> ended the run early.</param>
/// <param name="Intervals">How many interval snapshots were delivered (the last may be partial).</param>
/// <param name="Unexpected">The first exception a protocol channel leaked (a bug) or the record sink threw; the run still
/// counted every request.</param>
public sealed record RunResult(long StartTicks, long EndTicks, bool Stopped, long Intervals, Exception? Unexpected);
