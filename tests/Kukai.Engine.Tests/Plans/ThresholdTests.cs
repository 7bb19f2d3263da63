using Kukai.Engine.Plans;

namespace Kukai.Engine.Tests.Plans;

public sealed class ThresholdTests
{
    private static Threshold Parse(string text)
    {
        Assert.True(Threshold.TryParse(text, out var threshold, out var error), error);
        Assert.Null(error);
        return threshold!;
    }

    [Theory]
    [InlineData("p99_ms < 250", 99.0)]
    [InlineData("p50_ms < 250", 50.0)]
    [InlineData("p90_ms < 250", 90.0)]
    [InlineData("p999_ms < 250", 99.9)]
    [InlineData("p9999_ms < 250", 99.99)]
    [InlineData("p99.99_ms < 250", 99.99)]
    [InlineData("p99.9_ms < 250", 99.9)]
    [InlineData("p5_ms < 250", 5.0)]
    [InlineData("p100_ms < 250", 100.0)]
    [InlineData("p975_ms < 250", 97.5)]
    [InlineData("p0.5_ms < 250", 0.5)]
    public void TryParse_Percentile_ReadsPercentile(string text, double percentile)
    {
        var t = Parse(text);

        Assert.Equal(percentile, t.Percentile!.Value, 9);
        Assert.Equal(ThresholdOperator.Less, t.Operator);
        Assert.Equal(250, t.Value);
        Assert.Equal(text, t.Text);
    }

    [Theory]
    [InlineData("error_rate < 0.01", "error_rate", 0.01)]
    [InlineData("count >= 1000", "count", 1000)]
    [InlineData("rps>100", "rps", 100)]
    [InlineData("  max_ms <= 1e3  ", "max_ms", 1000)]
    [InlineData("dropped == 0", "dropped", 0)]
    [InlineData("late != -1.5", "late", -1.5)]
    public void TryParse_PlainMetric_ReadsMetricAndValue(string text, string metric, double value)
    {
        var t = Parse(text);

        Assert.Equal(metric, t.Metric);
        Assert.Null(t.Percentile);
        Assert.Equal(value, t.Value);
    }

    [Theory]
    [InlineData("p99_ms < 250", ThresholdOperator.Less)]
    [InlineData("p99_ms <= 250", ThresholdOperator.LessOrEqual)]
    [InlineData("p99_ms > 250", ThresholdOperator.Greater)]
    [InlineData("p99_ms >= 250", ThresholdOperator.GreaterOrEqual)]
    [InlineData("p99_ms == 250", ThresholdOperator.Equal)]
    [InlineData("p99_ms != 250", ThresholdOperator.NotEqual)]
    public void TryParse_Operators_AllSix(string text, ThresholdOperator op)
    {
        Assert.Equal(op, Parse(text).Operator);
    }

    [Theory]
    [InlineData("", "is not a threshold")]
    [InlineData("p99_ms", "is not a threshold")]
    [InlineData("p99_ms < ", "is not a threshold")]
    [InlineData("p99_ms << 3", "is not a threshold")]
    [InlineData("P99_ms < 3", "is not a threshold")]
    [InlineData("p99_ms < abc", "is not a threshold")]
    [InlineData("latency < 3", "unknown metric 'latency'")]
    [InlineData("p0_ms < 3", "unknown metric 'p0_ms'")]
    [InlineData("p1000_ms < 3", "unknown metric 'p1000_ms'")] // was read as p10
    [InlineData("p101_ms < 3", "unknown metric 'p101_ms'")] // was read as p10.1
    [InlineData("p050_ms < 3", "unknown metric 'p050_ms'")] // was read as p5
    [InlineData("p00_ms < 3", "unknown metric 'p00_ms'")]
    [InlineData("p99_s < 3", "unknown metric 'p99_s'")]
    [InlineData("p99_ms < 1.2.3", "bad number '1.2.3'")]
    [InlineData("p99_ms < 1e999", "bad number '1e999'")]
    public void TryParse_BadInput_ErrorSaysWhy(string text, string expected)
    {
        Assert.False(Threshold.TryParse(text, out var threshold, out var error));
        Assert.Null(threshold);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("x_ms < 5", 4.9, true)]
    [InlineData("x_ms < 5", 5, false)]
    [InlineData("x_ms <= 5", 5, true)]
    [InlineData("x_ms <= 5", 5.1, false)]
    [InlineData("x_ms > 5", 5.1, true)]
    [InlineData("x_ms > 5", 5, false)]
    [InlineData("x_ms >= 5", 5, true)]
    [InlineData("x_ms >= 5", 4.9, false)]
    [InlineData("x_ms == 5", 5, true)]
    [InlineData("x_ms == 5", 5.1, false)]
    [InlineData("x_ms != 5", 5.1, true)]
    [InlineData("x_ms != 5", 5, false)]
    public void Passes_EachOperator_ComparesActualToValue(string text, double actual, bool passes)
    {
        var t = Parse(text.Replace("x_ms", "max_ms", StringComparison.Ordinal));

        Assert.Equal(passes, t.Passes(actual));
    }

    [Fact]
    public void Passes_NaN_FailsEveryComparisonButNotEqual()
    {
        Assert.False(Parse("max_ms < 5").Passes(double.NaN));
        Assert.False(Parse("max_ms >= 5").Passes(double.NaN));
    }

    [Fact]
    public void KnownMetrics_ListsPercentileForm()
    {
        Assert.Contains("error_rate", Threshold.KnownMetrics);
        Assert.Contains("pN_ms", Threshold.KnownMetrics);
    }
}
