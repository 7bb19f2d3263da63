using Kukai.Engine.Histograms;
using Kukai.Engine.Metrics;
using Kukai.Engine.Protocols;

namespace Kukai.Engine.Tests.Metrics;

public sealed class StatsSummaryTests
{
    [Fact]
    public void From_Counters_EveryFieldAndEveryErrorKind()
    {
        var c = new TargetCounters { Sent = 12, Dropped = 3 };
        c.Record(new RequestOutcome(ErrorKind.None, 200, 10, 100), 1_000, 800, 200, Lateness.OnTime);
        c.Record(new RequestOutcome(ErrorKind.None, 200, 10, 100), 3_000, 900, 2_100, Lateness.Behind);
        c.Record(RequestOutcome.Failed(ErrorKind.Http5xx, 10, 50, 500), 2_000, 2_000, 0, Lateness.OnTime);
        c.Record(RequestOutcome.Failed(ErrorKind.Timeout, 10), 10_000, 10_000, 0, Lateness.OnTime);

        var s = StatsSummary.From(c, 2);

        Assert.Equal((4L, 2L, 2.0, 40L, 250L, 1L, 3L, 12L), (s.Count, s.Ok, s.Rps, s.BytesSent, s.BytesReceived, s.Late, s.Dropped, s.Sent));
        Assert.Equal(0.5, s.ErrorRate);
        Assert.Equal(
            new Dictionary<string, long> { ["connect"] = 0, ["timeout"] = 1, ["reset"] = 0, ["http_4xx"] = 0, ["http_5xx"] = 1, ["protocol"] = 0 },
            s.Errors);
        Assert.Equal((1.0, 10.0, 4.0), (s.LatencyMs.Min, s.LatencyMs.Max, s.LatencyMs.Mean));
        Assert.Equal((0.8, 10.0), (s.ServiceTimeMs.Min, s.ServiceTimeMs.Max));
    }

    [Fact]
    public void From_NoRequests_ZerosNotNaN()
    {
        var s = StatsSummary.From(new TargetCounters(), 0);

        Assert.Equal((0L, 0.0, 0.0), (s.Count, s.Rps, s.ErrorRate));
        Assert.Equal(new LatencySummary(0, 0, 0, 0, 0, 0, 0, 0, 0, 0), s.LatencyMs);
    }

    [Fact]
    public void LatencySummary_From_PercentilesFromHistogramInMilliseconds()
    {
        var h = new LatencyHistogram();
        for (var us = 1; us <= 10_000; us++)
        {
            h.Record(us);
        }

        var s = LatencySummary.From(h, [99.99, 50]);

        Assert.Equal(LatencySummary.Ms(h.ValueAtPercentile(50)), s.Median);
        Assert.Equal(LatencySummary.Ms(h.ValueAtPercentile(90)), s.P90);
        Assert.Equal(LatencySummary.Ms(h.ValueAtPercentile(95)), s.P95);
        Assert.Equal(LatencySummary.Ms(h.ValueAtPercentile(99)), s.P99);
        Assert.Equal(LatencySummary.Ms(h.ValueAtPercentile(99.9)), s.P999);
        Assert.Equal(LatencySummary.Ms(h.ValueAtPercentile(99.99)), s.Percentiles!["99.99"]);
        Assert.Equal(s.Median, s.Percentiles["50"]);
        Assert.Equal((0.001, 10.0, Math.Round(h.Mean / 1000, 3)), (s.Min, s.Max, s.Mean));
        Assert.InRange(s.Median, 4.99, 5.01);
    }

    [Fact]
    public void LatencySummary_ModeMs_CentreOfMostFrequentTenthOfAMillisecond()
    {
        var h = new LatencyHistogram();
        h.RecordMany(1_234, 5);   // bin [1.2, 1.3) ms
        h.RecordMany(3_050, 5);   // bin [3.0, 3.1) ms: a tie, the lower bin wins
        h.RecordMany(90, 4);

        Assert.Equal(1.25, LatencySummary.ModeMs(h));
        Assert.Equal(0, LatencySummary.ModeMs(new LatencyHistogram()));
    }
}
