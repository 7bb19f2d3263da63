using Kukai.Engine.Execution;
using Kukai.Engine.Plans;

namespace Kukai.Engine.Tests.Execution;

public sealed class TargetSelectorTests
{
    private static TargetPlan Weighted(double weight) => new() { Url = "http://h/", Weight = weight };

    private static long[] Counts(TargetSelector selector, int targets, int picks, ulong seed)
    {
        var random = new FastRandom(seed);
        var counts = new long[targets];
        for (var i = 0; i < picks; i++)
        {
            counts[selector.Pick(ref random)]++;
        }

        return counts;
    }

    [Fact]
    public void Pick_SingleTarget_AlwaysZero()
    {
        Assert.Equal([1000L], Counts(new TargetSelector([Weighted(0.3)]), 1, 1000, 1));
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(42UL)]
    [InlineData(0xDEADBEEFUL)]
    public void Pick_Weights_RespectedWithinFiveSigma(ulong seed)
    {
        double[] weights = [1, 3, 0.5, 5.5];
        const int picks = 200_000;
        var counts = Counts(new TargetSelector([.. weights.Select(Weighted)]), weights.Length, picks, seed);

        var total = weights.Sum();
        for (var i = 0; i < weights.Length; i++)
        {
            var p = weights[i] / total;
            var sigma = Math.Sqrt(picks * p * (1 - p));
            Assert.InRange(counts[i], (long)(picks * p - 5 * sigma), (long)(picks * p + 5 * sigma));
        }
    }

    [Fact]
    public void Pick_SameSeed_SameSequence()
    {
        var selector = new TargetSelector([Weighted(1), Weighted(1), Weighted(2)]);
        var (a, b) = (new FastRandom(7), new FastRandom(7));

        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal(selector.Pick(ref a), selector.Pick(ref b));
        }
    }

    [Fact]
    public void Pick_TinyWeight_StillPicked()
    {
        var counts = Counts(new TargetSelector([Weighted(1000), Weighted(1)]), 2, 100_000, 3);

        Assert.InRange(counts[1], 50, 200);
    }
}
