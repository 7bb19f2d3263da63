using System.Runtime.CompilerServices;
using Kukai.Engine.Plans;

namespace Kukai.Engine.Execution;

/// <summary>
/// When each paced request is due, as seconds from the run's start: slot <c>k</c> is due where the cumulative
/// rate reaches <c>k + phase</c>. The rate is constant, or moves linearly between stages and then holds the last
/// stage's value. Pure arithmetic, so it is tested without clocks.
/// </summary>
/// <remarks>
/// The phase spreads drivers of one test evenly: driver <c>i</c> of <c>n</c> uses phase <c>i / n</c>, so with the
/// same gap on every node the combined stream is evenly spaced instead of arriving in bursts of <c>n</c>.
/// </remarks>
public sealed class RateSchedule
{
    private readonly double[] _segmentStart;   // seconds
    private readonly double[] _segmentLength;  // seconds; +inf for the final hold
    private readonly double[] _rateStart;      // requests/s at segment start
    private readonly double[] _rateSlope;      // requests/s per second
    private readonly double[] _countAtStart;   // cumulative slots at segment start
    private readonly double _phase;
    private int _segment;
    private long _next;

    public RateSchedule(double? baseRate, IReadOnlyList<StagePlan> stages, double phase)
    {
        if (phase is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(phase), phase, "phase must be in [0, 1)");
        }

        _phase = phase;
        var starts = new List<double>();
        var lengths = new List<double>();
        var rates = new List<double>();
        var slopes = new List<double>();
        var counts = new List<double>();
        double t = 0, count = 0, rate = baseRate ?? 0;
        foreach (var stage in stages)
        {
            if (stage.Rps is not { } target)
            {
                continue;
            }

            var slope = (target - rate) / stage.DurationSeconds;
            starts.Add(t);
            lengths.Add(stage.DurationSeconds);
            rates.Add(rate);
            slopes.Add(slope);
            counts.Add(count);
            count += (rate + target) / 2 * stage.DurationSeconds;
            t += stage.DurationSeconds;
            rate = target;
        }

        starts.Add(t);
        lengths.Add(double.PositiveInfinity);
        rates.Add(rate);
        slopes.Add(0);
        counts.Add(count);
        _segmentStart = [.. starts];
        _segmentLength = [.. lengths];
        _rateStart = [.. rates];
        _rateSlope = [.. slopes];
        _countAtStart = [.. counts];
    }

    /// <summary>Index of the slot <see cref="Next"/> returns next.</summary>
    public long NextIndex => _next;

    /// <summary>
    /// Due time of the next slot in seconds from the start, or +∞ when the rate stays at zero forever.
    /// Slots come in order; each call advances by one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Next()
    {
        var target = _next + _phase;
        while (true)
        {
            var s = _segment;
            var length = _segmentLength[s];
            var a = _rateStart[s];
            var b = _rateSlope[s];
            var m = target - _countAtStart[s];
            var infinite = double.IsPositiveInfinity(length);
            var area = infinite ? double.PositiveInfinity : (a + a + b * length) / 2 * length;

            // A finite stretch at rate 0 holds no slot, not even one at its start: the slot goes to the next stage.
            if (infinite || (area > 0 && m <= area))
            {
                double tau;
                if (b == 0 && a <= 0)
                {
                    return double.PositiveInfinity;
                }

                if (m <= 0)
                {
                    tau = 0; // the slot is at the segment's start (also for a ramp up from 0, where the formula below is 0/0)
                }
                else if (b == 0)
                {
                    tau = m / a;
                }
                else
                {
                    // Solve a·τ + b·τ²/2 = m in the numerically stable form τ = 2m / (a + √(a² + 2bm)).
                    var disc = Math.Max(0, a * a + 2 * b * m);
                    var denom = a + Math.Sqrt(disc);
                    tau = denom <= 0 ? length : 2 * m / denom;
                }

                _next++;
                return _segmentStart[s] + Math.Min(Math.Max(tau, 0), length);
            }

            _segment++;
        }
    }
}
