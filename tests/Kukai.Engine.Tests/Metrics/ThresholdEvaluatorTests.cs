using Kukai.Engine.Metrics;
using Kukai.Engine.Protocols;

namespace Kukai.Engine.Tests.Metrics;

public sealed class ThresholdEvaluatorTests
{
    private static TargetCounters Aggregate()
    {
        var c = new TargetCounters { Sent = 100, Dropped = 2 };
        for (var i = 1; i <= 100; i++)
        {
            var outcome = i <= 5 ? RequestOutcome.Failed(ErrorKind.Timeout, 10, 0) : new RequestOutcome(ErrorKind.None, 200, 10, 20);
            c.Record(outcome, i * 1_000, i * 500, 0, i > 98 ? Lateness.ConnectionsBusy : i > 97 ? Lateness.Behind : Lateness.OnTime);
        }

        return c;
    }

    [Theory]
    [InlineData("count == 100", 100.0, true)]
    [InlineData("ok == 95", 95.0, true)]
    [InlineData("errors > 4", 5.0, true)]
    [InlineData("error_rate < 0.01", 0.05, false)]
    [InlineData("error_rate <= 0.05", 0.05, true)]
    [InlineData("rps >= 10", 10.0, true)]
    [InlineData("late == 3", 3.0, true)]
    [InlineData("late_connections_busy == 0", 2.0, false)]
    [InlineData("late_generator_behind <= 1", 1.0, true)]
    [InlineData("dropped == 0", 2.0, false)]
    [InlineData("bytes_sent == 1000", 1000.0, true)]
    [InlineData("bytes_received < 1900", 1900.0, false)]
    [InlineData("min_ms == 1", 1.0, true)]
    [InlineData("max_ms < 100", 100.0, false)]
    [InlineData("mean_ms == 50.5", 50.5, true)]
    public void Evaluate_PlainMetrics_MeasuredExactly(string threshold, double actual, bool passed)
    {
        var result = Assert.Single(ThresholdEvaluator.Evaluate([threshold], Aggregate(), 10));

        Assert.Equal(new ThresholdResult(threshold, actual, passed), result);
    }

    [Theory]
    [InlineData("p50_ms < 1000")]
    [InlineData("median_ms < 1000")]
    [InlineData("p99_ms < 1000")]
    [InlineData("p999_ms < 1000")]
    [InlineData("p99.99_ms < 1000")]
    [InlineData("p100_ms < 1000")]
    public void Evaluate_Percentiles_FromTheHistogram(string threshold)
    {
        var aggregate = Aggregate();
        var percentile = threshold switch
        {
            "median_ms < 1000" or "p50_ms < 1000" => 50,
            "p99_ms < 1000" => 99,
            "p999_ms < 1000" => 99.9,
            "p99.99_ms < 1000" => 99.99,
            _ => 100,
        };

        var result = Assert.Single(ThresholdEvaluator.Evaluate([threshold], aggregate, 10));

        Assert.Equal(aggregate.Latency.ValueAtPercentile(percentile) / 1000.0, result.Actual);
        Assert.True(result.Passed);
    }

    [Fact]
    public void Evaluate_P100_IsTheMaximum()
    {
        var result = Assert.Single(ThresholdEvaluator.Evaluate(["p100_ms <= 100"], Aggregate(), 10));

        Assert.InRange(result.Actual, 99.9, 100.1);
    }

    [Fact]
    public void Evaluate_NoRequests_ErrorRateZeroAndRpsZero()
    {
        var results = ThresholdEvaluator.Evaluate(["error_rate < 0.01", "rps > 0"], new TargetCounters(), 0);

        Assert.Equal([new("error_rate < 0.01", 0, true), new("rps > 0", 0, false)], results);
    }

    [Fact]
    public void Evaluate_Several_InOrder()
    {
        var results = ThresholdEvaluator.Evaluate(["count > 1", "p99_ms < 1", "dropped == 2"], Aggregate(), 1);

        Assert.Equal([true, false, true], results.Select(r => r.Passed));
    }
}
