using Kukai.Engine.Health;
using Kukai.Engine.Histograms;
using Kukai.Engine.Metrics;
using Kukai.Engine.Protocols;

namespace Kukai.Engine.Tests.Metrics;

public sealed class TestMetricsStoreTests
{
    private static readonly string[] TargetKeys = ["http://a/", "b:9000"];

    // A target's counters for `count` requests with latencies base, base+1, ...; every third one an error.
    private static TargetCounters Counters(int count, long baseUs, long sent = -1, ErrorKind error = ErrorKind.Timeout)
    {
        var c = new TargetCounters { Sent = sent < 0 ? count : sent };
        for (var i = 0; i < count; i++)
        {
            var outcome = i % 3 == 2 ? RequestOutcome.Failed(error, 1, 0) : new RequestOutcome(ErrorKind.None, 200, 10, 100);
            c.Record(outcome, baseUs + i, baseUs + i - (baseUs / 2), 0, i % 8 == 0 ? Lateness.ConnectionsBusy : i % 4 == 0 ? Lateness.Behind : Lateness.OnTime);
        }

        return c;
    }

    private static IntervalSnapshot Interval(long second, TargetCounters a, TargetCounters b, double elapsed = 1.0, bool saturated = false) =>
        new(second, elapsed, [a, b]) { Health = new HostHealth(saturated ? 99 : 10, 20, saturated) };

    [Fact]
    public void Apply_TwoDriversSeveralSeconds_TotalsAreSums()
    {
        var store = new TestMetricsStore(TargetKeys);
        var expected = new TargetCounters();
        var perDriver = new Dictionary<string, TargetCounters> { ["d1"] = new(), ["d2"] = new() };
        var perTarget = new[] { new TargetCounters(), new TargetCounters() };
        for (var second = 0; second < 4; second++)
        {
            foreach (var (driver, scale) in new[] { ("d1", 1), ("d2", 3) })
            {
                var interval = Interval(second, Counters(10 * scale + second, 1000 * scale), Counters(5 + second, 5000));
                store.Apply(driver, interval);
                expected.Add(interval.Total());
                perDriver[driver].Add(interval.Total());
                perTarget[0].Add(interval.Targets[0]);
                perTarget[1].Add(interval.Targets[1]);
            }
        }

        var stats = store.Stats(4);

        AssertSame(StatsSummary.From(expected, 4), stats.Aggregate);
        Assert.Equal(["d1", "d2"], stats.PerDriver.Keys);
        AssertSame(StatsSummary.From(perDriver["d1"], 4), stats.PerDriver["d1"]);
        AssertSame(StatsSummary.From(perDriver["d2"], 4), stats.PerDriver["d2"]);
        AssertSame(StatsSummary.From(perTarget[0], 4), stats.PerTarget["http://a/"]);
        AssertSame(StatsSummary.From(perTarget[1], 4), stats.PerTarget["b:9000"]);
        Assert.Equal(expected.Count, stats.PerTarget.Values.Sum(s => s.Count));
        Assert.Equal(expected.Count, stats.PerDriver.Values.Sum(s => s.Count));
        Assert.Equal(expected.Count, store.AggregateCounters().Count);
        Assert.True(expected.Latency.ContentEquals(store.Histograms().Aggregate.Latency));
    }

    [Fact]
    public void Stats_Percentiles_ThoseOfOneMergedHistogram()
    {
        // Every latency also goes into one reference histogram: the store's percentiles must be read from the merge.
        var store = new TestMetricsStore(TargetKeys);
        var reference = new LatencyHistogram();
        var random = new Random(5);
        for (var second = 0; second < 12; second++)
        {
            for (var d = 0; d < 3; d++)
            {
                var a = new TargetCounters();
                var b = new TargetCounters();
                for (var i = 0; i < 200; i++)
                {
                    // Drivers with very different distributions: averaging their percentiles would be far off.
                    var us = d == 2 ? random.NextInt64(50_000, 2_000_000) : random.NextInt64(100, 5_000);
                    (i % 2 == 0 ? a : b).Record(default, us, us, 0, Lateness.OnTime);
                    reference.Record(us);
                }

                store.Apply($"driver-{d}", Interval(second, a, b));
            }
        }

        var stats = store.Stats(12, [99.99]);

        Assert.Equal(LatencySummary.From(reference, [99.99]) with { Percentiles = null }, stats.Aggregate.LatencyMs with { Percentiles = null });
        Assert.Equal(LatencySummary.Ms(reference.ValueAtPercentile(99.99)), stats.Aggregate.LatencyMs.Percentiles!["99.99"]);
        Assert.Equal(reference.Count, stats.Aggregate.Count);
    }

    [Fact]
    public void Progress_CumulativeSentAndCompletedPerDriver()
    {
        var store = new TestMetricsStore(TargetKeys);
        store.AddDriver("idle");

        store.Apply("d1", Interval(0, Counters(3, 100, sent: 5), Counters(0, 100)));
        store.Apply("d1", Interval(1, Counters(4, 100, sent: 2), Counters(1, 100, sent: 1)));
        store.Apply("d2", Interval(0, Counters(2, 100), Counters(2, 100)));

        var progress = store.Progress();

        Assert.Equal(new DriverProgress(8, 8), progress["d1"]);
        Assert.Equal(new DriverProgress(4, 4), progress["d2"]);
        Assert.Equal(default, progress["idle"]);
        Assert.Equal(0, store.Stats(1).PerDriver["idle"].Count);
    }

    [Fact]
    public void AddDriver_AfterReports_KeepsThem()
    {
        var store = new TestMetricsStore(TargetKeys);
        store.Apply("d1", Interval(0, Counters(3, 100), Counters(0, 100)));

        store.AddDriver("d1");

        Assert.Equal(new DriverProgress(3, 3), store.Progress()["d1"]);
    }

    [Fact]
    public void Timeseries_OneRowPerDriverPerSecond_OrderedBySecondThenDriver()
    {
        var store = new TestMetricsStore(TargetKeys);
        store.Apply("d2", Interval(1, Counters(4, 2000), Counters(0, 0)));
        store.Apply("d1", Interval(1, Counters(2, 1000), Counters(0, 0)));
        store.Apply("d2", Interval(0, Counters(10, 500), Counters(5, 500), elapsed: 1, saturated: true));
        store.Apply("d1", Interval(2, Counters(6, 1000), Counters(0, 0), elapsed: 0.5));

        var rows = store.Timeseries();

        Assert.Equal([(0L, "d2"), (1L, "d1"), (1L, "d2"), (2L, "d1")], rows.Select(r => (r.Second, r.DriverId)));
        var first = rows[0];
        Assert.Equal((15L, 15L, 4L, 15.0), (first.Sent, first.Completed, first.Errors, first.Rps));
        Assert.True(first.Health!.Saturated);
        Assert.Equal(6.0, rows[3].Rps); // a partial last second shows what it completed, not an extrapolation
        Assert.Equal(1.005, rows[3].MaxMs);
        Assert.Equal(new[] { 15L, 2, 4, 6 }.Sum(), rows.Sum(r => r.Completed));
    }

    [Fact]
    public void Seconds_AcrossDrivers_MergedPerSecond()
    {
        var store = new TestMetricsStore(TargetKeys);
        store.Apply("d1", Interval(0, Counters(10, 1000), Counters(0, 0)));
        store.Apply("d2", Interval(0, Counters(20, 3000), Counters(0, 0), saturated: true));
        store.Apply("d1", Interval(1, Counters(5, 1000), Counters(0, 0)));

        var seconds = store.Seconds();

        Assert.Equal([0L, 1L], seconds.Select(s => s.Second));
        var s0 = seconds[0];
        var merged = Counters(10, 1000);
        merged.Add(Counters(20, 3000));
        Assert.Equal(
            new SecondSummary(0, 30, 30, merged.Errors, 30, LatencySummary.Ms(merged.Latency.ValueAtPercentile(50)),
                LatencySummary.Ms(merged.Latency.ValueAtPercentile(90)), LatencySummary.Ms(merged.Latency.ValueAtPercentile(99)),
                LatencySummary.Ms(merged.Latency.Max), merged.Late, merged.LateConnectionsBusy, 0, 1),
            s0);
    }

    [Fact]
    public void Apply_SecondsFallBehind_SettleAndStragglerCountsStillAdd()
    {
        var store = new TestMetricsStore(TargetKeys);
        store.Apply("fast", Interval(0, Counters(10, 1000), Counters(0, 0)));
        for (var second = 1; second <= TestMetricsStore.SettleSeconds; second++)
        {
            store.Apply("fast", Interval(second, Counters(1, 1000), Counters(0, 0)));
        }

        var settled = store.Seconds()[0];

        // Second 0 is now SettleSeconds behind the newest: summarised. A slow driver's report for it still counts.
        store.Apply("slow", Interval(0, Counters(6, 900_000, sent: 7), Counters(2, 10), saturated: true));
        var after = store.Seconds()[0];

        Assert.Equal(settled.Completed + 8, after.Completed);
        Assert.Equal(settled.Sent + 9, after.Sent);
        Assert.Equal(settled.Errors + 2, after.Errors);
        Assert.Equal(settled.Rps + 8, after.Rps);
        Assert.Equal(settled.Late + 3, after.Late);
        Assert.Equal(settled.LateConnectionsBusy + 2, after.LateConnectionsBusy);
        Assert.Equal(900.005, after.MaxMs);
        Assert.Equal(settled.SaturatedDrivers + 1, after.SaturatedDrivers);
        Assert.Equal(settled.P50Ms, after.P50Ms); // percentiles of a summarised second cannot take more samples
        Assert.Equal(10 + TestMetricsStore.SettleSeconds + 8, store.Stats(6).Aggregate.Count);
    }

    [Fact]
    public void Apply_SecondsWithinSettleWindow_StayOpenAndMergePercentiles()
    {
        var store = new TestMetricsStore(TargetKeys);
        store.Apply("fast", Interval(0, Counters(10, 1000), Counters(0, 0)));
        for (var second = 1; second < TestMetricsStore.SettleSeconds; second++)
        {
            store.Apply("fast", Interval(second, Counters(1, 1000), Counters(0, 0)));
        }

        store.Apply("slow", Interval(0, Counters(30, 900_000), Counters(0, 0)));
        var s0 = store.Seconds()[0];

        var merged = Counters(10, 1000);
        merged.Add(Counters(30, 900_000));
        Assert.Equal(LatencySummary.Ms(merged.Latency.ValueAtPercentile(50)), s0.P50Ms);
    }

    [Fact]
    public void Apply_WrongTargetCount_Throws()
    {
        var store = new TestMetricsStore(TargetKeys);

        Assert.Throws<ArgumentException>(() => store.Apply("d", new IntervalSnapshot(0, 1, [new TargetCounters()])));
    }

    [Fact]
    public async Task Apply_ManyDriversConcurrently_NothingLost()
    {
        var store = new TestMetricsStore(TargetKeys);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(d => Task.Run(() =>
        {
            for (var second = 0; second < 50; second++)
            {
                store.Apply($"d{d}", Interval(second, Counters(3, 100), Counters(2, 200)));
            }
        })));

        Assert.Equal(8 * 50 * 5, store.Stats(50).Aggregate.Count);
        Assert.Equal(8 * 50 * 5, store.Seconds().Sum(s => s.Completed));
        Assert.Equal(8 * 50, store.Timeseries().Count);
        Assert.All(store.Progress().Values, p => Assert.Equal(new DriverProgress(250, 250), p));
    }

    private static void AssertSame(StatsSummary expected, StatsSummary actual)
    {
        Assert.Equal(expected with { Errors = null! }, actual with { Errors = null! });
        Assert.Equal(expected.Errors, actual.Errors);
    }
}
