using Kukai.Engine.Histograms;

namespace Kukai.Engine.Tests.Histograms;

public sealed class ValuesAtPercentilesTests
{
    private static readonly double[] Asked = [99.9, 0, 50, 100, 90, 99.99, 1, 50, 99, 75, 25, 95, 100];

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(1000)]
    [InlineData(200_000)]
    public void ValuesAtPercentiles_AnyOrder_EqualsOneQueryEach(int samples)
    {
        var random = new Random(42);
        var h = new LatencyHistogram();
        for (var i = 0; i < samples; i++)
        {
            h.Record((long)Math.Exp(random.NextDouble() * 16));
        }

        var values = new long[Asked.Length];
        h.ValuesAtPercentiles(Asked, values);

        for (var i = 0; i < Asked.Length; i++)
        {
            Assert.Equal(h.ValueAtPercentile(Asked[i]), values[i]);
        }
    }

    [Fact]
    public void ValuesAtPercentiles_BadArguments_Rejected()
    {
        var h = new LatencyHistogram();
        h.Record(5);

        Assert.Throws<ArgumentOutOfRangeException>(() => h.ValuesAtPercentiles([50, 101], new long[2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => h.ValuesAtPercentiles([double.NaN], new long[1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => h.ValuesAtPercentiles([50], new long[2]));
    }
}
