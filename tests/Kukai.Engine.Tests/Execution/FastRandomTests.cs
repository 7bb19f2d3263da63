using Kukai.Engine.Execution;

namespace Kukai.Engine.Tests.Execution;

public sealed class FastRandomTests
{
    [Theory]
    [InlineData(0UL)]
    [InlineData(1UL)]
    [InlineData(ulong.MaxValue)]
    public void NextDouble_AnySeed_UniformInUnitInterval(ulong seed)
    {
        var random = new FastRandom(seed);
        var buckets = new int[10];
        const int n = 100_000;
        for (var i = 0; i < n; i++)
        {
            var u = random.NextDouble();
            Assert.InRange(u, 0, 1 - double.Epsilon);
            Assert.True(u < 1);
            buckets[(int)(u * 10)]++;
        }

        Assert.All(buckets, b => Assert.InRange(b, 9_500, 10_500));
    }

    [Fact]
    public void NextDouble_DifferentSeeds_DifferentSequences()
    {
        var (a, b) = (new FastRandom(1), new FastRandom(2));

        Assert.NotEqual(a.NextDouble(), b.NextDouble());
    }
}
