using System.Runtime.CompilerServices;
using Kukai.Engine.Plans;

namespace Kukai.Engine.Execution;

/// <summary>Picks a target at random in proportion to its weight. Immutable and thread-safe; the caller owns the generator.</summary>
internal sealed class TargetSelector
{
    private readonly double[] _cumulative;

    public TargetSelector(IReadOnlyList<TargetPlan> targets)
    {
        _cumulative = new double[targets.Count];
        double sum = 0;
        for (var i = 0; i < targets.Count; i++)
        {
            sum += targets[i].Weight;
            _cumulative[i] = sum;
        }

        for (var i = 0; i < _cumulative.Length; i++)
        {
            _cumulative[i] /= sum;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Pick(ref FastRandom random)
    {
        if (_cumulative.Length == 1)
        {
            return 0;
        }

        var u = random.NextDouble();
        for (var i = 0; i < _cumulative.Length - 1; i++)
        {
            if (u < _cumulative[i])
            {
                return i;
            }
        }

        return _cumulative.Length - 1;
    }
}
