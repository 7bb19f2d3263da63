using Kukai.Engine.Plans;

namespace Kukai.Engine.Execution;

/// <summary>
/// How many connections an avalanche keeps busy at a time from the start: constant, or moving linearly between
/// <c>concurrency</c> stages and then holding the last value. Pure arithmetic.
/// </summary>
public sealed class ConcurrencySchedule
{
    private readonly (double Start, double Length, double From, double To)[] _segments;
    private readonly int _final;

    public ConcurrencySchedule(int initial, IReadOnlyList<StagePlan> stages)
    {
        var segments = new List<(double, double, double, double)>();
        double t = 0, current = initial;
        foreach (var stage in stages)
        {
            if (stage.Concurrency is not { } target)
            {
                continue;
            }

            segments.Add((t, stage.DurationSeconds, current, target));
            t += stage.DurationSeconds;
            current = target;
        }

        _segments = [.. segments];
        _final = (int)current;
        Maximum = Math.Max(initial, segments.Count == 0 ? initial : (int)segments.Max(s => s.Item4));
    }

    /// <summary>The largest concurrency the schedule ever asks for.</summary>
    public int Maximum { get; }

    public bool IsConstant => _segments.Length == 0;

    /// <summary>Connections to keep busy at <paramref name="seconds"/> from the start (rounded to nearest).</summary>
    public int At(double seconds)
    {
        foreach (var (start, length, from, to) in _segments)
        {
            if (seconds < start + length)
            {
                var f = Math.Clamp((seconds - start) / length, 0, 1);
                return (int)Math.Round(from + (to - from) * f, MidpointRounding.AwayFromZero);
            }
        }

        return _final;
    }
}
