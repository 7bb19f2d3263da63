using Kukai.Engine.Health;
using Kukai.Engine.Metrics;
using Kukai.Engine.Plans;
using Kukai.Engine.Protocols;

namespace Kukai.Results.Tests.Report;

/// <summary>
/// Report inputs for the tests. <see cref="Simulate"/> runs made-up requests through the real metrics pipeline
/// (<see cref="TestMetricsStore"/>, <see cref="TestSummaryBuilder"/>, <see cref="HgrmWriter"/>), so the summary is what a real
/// test writes; <see cref="Long"/> builds a long test's rows directly (simulating hours of requests would be slow).
/// </summary>
public static class ReportSamples
{
    public static readonly DateTimeOffset Start = new(2026, 3, 14, 9, 26, 53, 125, TimeSpan.Zero);

    /// <summary>What <see cref="Simulate"/> makes up.</summary>
    public sealed record Simulation
    {
        public string TestId { get; init; } = "20260314-092653-a1b2";

        public string[] Drivers { get; init; } = ["driver-1"];

        public string[] Targets { get; init; } = ["http://127.0.0.1:8080/ping"];

        public int Seconds { get; init; } = 30;

        public int RequestsPerSecond { get; init; } = 50;

        /// <summary>Fraction of requests that fail, spread over <see cref="ErrorKinds"/>.</summary>
        public double ErrorRate { get; init; }

        public ErrorKind[] ErrorKinds { get; init; } = [ErrorKind.Timeout, ErrorKind.Http5xx, ErrorKind.Connect];

        /// <summary>A driver that stops reporting at a second (and is declared lost 5 s later).</summary>
        public (string Driver, int Second)? Lost { get; init; }

        /// <summary>Seconds in which every driver's machine is saturated (requests also start late and some are dropped).</summary>
        public int[] SaturatedSeconds { get; init; } = [];

        /// <summary>Every this many seconds the target stalls and latencies jump (0: never).</summary>
        public int StallEvery { get; init; }

        public string[] Thresholds { get; init; } = ["p99_ms < 250", "error_rate < 0.01"];

        public int Seed { get; init; } = 7;
    }

    public static ReportSample Simulate(string name, Simulation o)
    {
        var random = new Random(o.Seed);
        var plan = new LoadPlan
        {
            Type = TestType.Tsunami,
            Rps = o.RequestsPerSecond,
            DurationSeconds = o.Seconds,
            Targets = [.. o.Targets.Select(t => new TargetPlan { Url = t })],
            Thresholds = [.. o.Thresholds],
            Headers = [new("Authorization", "Bearer s3cret-token"), new("Accept", "text/plain")],
        };
        var store = new TestMetricsStore(o.Targets);
        foreach (var d in o.Drivers)
        {
            store.AddDriver(d);
        }

        for (var second = 0; second < o.Seconds; second++)
        {
            var saturated = o.SaturatedSeconds.Contains(second);
            var stall = o.StallEvery > 0 && second % o.StallEvery == o.StallEvery - 1;
            foreach (var driver in o.Drivers)
            {
                if (o.Lost is { } lost && lost.Driver == driver && second >= lost.Second)
                {
                    continue;
                }

                var counters = o.Targets.Select(_ => new TargetCounters()).ToArray();
                for (var i = 0; i < o.RequestsPerSecond; i++)
                {
                    var target = counters[i % counters.Length];
                    var service = (long)(800 * Math.Exp(0.6 * Normal(random))) + (stall ? random.Next(50_000, 400_000) : 0);
                    var lag = saturated ? random.Next(0, 30_000) : (random.NextDouble() < 0.02 ? random.Next(1_000, 5_000) : 0);
                    var failed = random.NextDouble() < o.ErrorRate;
                    var outcome = failed
                        ? RequestOutcome.Failed(o.ErrorKinds[random.Next(o.ErrorKinds.Length)], 90, 0)
                        : new RequestOutcome(ErrorKind.None, 200, 90, 143);
                    target.Sent++;
                    target.Record(outcome, service + lag, service, lag, lag <= 1_000 ? Lateness.OnTime : saturated ? Lateness.Behind : Lateness.ConnectionsBusy);
                }

                if (saturated)
                {
                    counters[0].Dropped += 3;
                }

                store.Apply(driver, new IntervalSnapshot(second, 1.0, counters)
                {
                    Health = saturated ? new HostHealth(88, 97.5, true) : new HostHealth(12, 30, false),
                });
            }
        }

        var lostAt = o.Lost is { } l
            ? new Dictionary<string, DateTimeOffset> { [l.Driver] = Start.AddSeconds(l.Second + 5) }
            : [];
        var summary = TestSummaryBuilder.Build(
            o.TestId, plan, TestSummaryBuilder.Completed, Start, Start.AddSeconds(o.Seconds), o.Drivers, lostAt, store,
            recordedRequests: store.AggregateCounters().Count, version: "1.0.0-test");
        return new ReportSample(name, summary, store.Timeseries(), HgrmWriter.Format(store.AggregateCounters().Latency));
    }

    /// <summary>
    /// A long test built row by row: <paramref name="seconds"/> seconds, <paramref name="drivers"/> drivers at about
    /// 1000 requests per second each, a latency wave, errors now and then and one saturated stretch.
    /// </summary>
    public static ReportSample Long(string name, int seconds, int drivers)
    {
        var random = new Random(11);
        var ids = Enumerable.Range(1, drivers).Select(i => $"driver-{i:00}").ToArray();
        var timeline = new List<SecondSummary>(seconds);
        var rows = new List<TimeseriesRow>(seconds * drivers);
        var perDriver = ids.ToDictionary(id => id, _ => new TargetCounters(), StringComparer.Ordinal);
        for (var s = 0; s < seconds; s++)
        {
            var wave = 1 + (0.5 * Math.Sin(s / 300.0));
            long sent = 0, errors = 0;
            double rps = 0, worst = 0;
            foreach (var id in ids)
            {
                var n = 1000 - random.Next(0, 20);
                var e = random.NextDouble() < 0.01 ? random.Next(1, 30) : 0;
                var p50 = Math.Round(1.2 * wave, 3);
                var max = Math.Round((9 * wave) + random.Next(0, 5), 3);
                rows.Add(new TimeseriesRow(s, id, n, n, e, n, p50, Math.Round(p50 * 2, 3), Math.Round(p50 * 4, 3), max));
                var c = perDriver[id];
                c.Sent += n;
                c.Count += n;
                c.Ok += n - e;
                c.AddErrors(ErrorKind.Timeout, e);
                c.BytesSent += n * 90L;
                c.BytesReceived += (n - e) * 143L;
                c.Latency.RecordMany((long)(p50 * 1000), n / 2);
                c.Latency.RecordMany((long)(p50 * 3000), n - (n / 2) - 1);
                c.Latency.Record((long)(max * 1000));
                c.ServiceTime.RecordMany((long)(p50 * 900), n);
                sent += n;
                errors += e;
                rps += n;
                worst = Math.Max(worst, max);
            }

            var saturated = s is >= 1000 and < 1030 ? 1 : 0;
            timeline.Add(new SecondSummary(
                s, sent, sent, errors, rps, Math.Round(1.2 * wave, 3), Math.Round(2.4 * wave, 3), Math.Round(4.8 * wave, 3), worst, s % 97 == 0 ? 12 : 0, s % 97 == 0 ? 9 : 0, 0, saturated));
        }

        var aggregate = new TargetCounters();
        foreach (var c in perDriver.Values)
        {
            aggregate.Add(c);
        }

        var duration = (double)seconds;
        var summary = new TestSummary
        {
            TestId = name,
            Plan = new LoadPlan
            {
                Type = TestType.Avalanche,
                Concurrency = 64,
                DurationSeconds = seconds,
                Targets = [new TargetPlan { Url = "http://127.0.0.1:8080/ping" }],
            },
            State = TestSummaryBuilder.Completed,
            StartedAt = Start,
            EndedAt = Start.AddSeconds(seconds),
            DurationSeconds = duration,
            Drivers = ids,
            Verdict = Verdict.Passed,
            Aggregate = StatsSummary.From(aggregate, duration),
            PerDriver = perDriver.ToDictionary(p => p.Key, p => StatsSummary.From(p.Value, duration), StringComparer.Ordinal),
            PerTarget = new Dictionary<string, StatsSummary> { ["http://127.0.0.1:8080/ping"] = StatsSummary.From(aggregate, duration) },
            Timeline = timeline,
            SaturatedSeconds = [.. Enumerable.Range(1000, 30).Select(s => new SaturatedSecond(s, ids[0], 97, 99))],
            KukaiVersion = "1.0.0-test",
        };
        return new ReportSample(name, summary, rows, HgrmWriter.Format(aggregate.Latency));
    }

    /// <summary>A realistic test: 3 drivers, 2 targets, errors of several kinds, stalls, saturation and a lost driver.</summary>
    public static ReportSample Realistic() => Simulate("realistic", new Simulation
    {
        TestId = "20260314-092653-a1b2",
        Drivers = ["edge-a", "edge-b", "edge-c"],
        Targets = ["http://127.0.0.1:8080/ping", "http://127.0.0.1:8081/ping?delay_ms=2"],
        Seconds = 90,
        RequestsPerSecond = 60,
        ErrorRate = 0.02,
        Lost = ("edge-c", 60),
        SaturatedSeconds = [20, 21, 22, 45],
        StallEvery = 15,
    });

    /// <summary>24 drivers, each with its own rate.</summary>
    public static ReportSample ManyDrivers() => Simulate("many-drivers", new Simulation
    {
        TestId = "many-drivers",
        Drivers = [.. Enumerable.Range(1, 24).Select(i => $"node-{i:00}.cluster.local")],
        Seconds = 40,
        RequestsPerSecond = 25,
        ErrorRate = 0.005,
        StallEvery = 13,
    });

    /// <summary>A test in which no request completed (the target never answered before the end).</summary>
    public static ReportSample ZeroRequests()
    {
        var sample = Simulate("zero-requests", new Simulation { TestId = "zero-requests", Seconds = 3, RequestsPerSecond = 0 });
        return sample with
        {
            Summary = sample.Summary with { Plan = sample.Summary.Plan with { Rps = 100 } },
            Hgrm = HgrmWriter.Format(new Engine.Histograms.LatencyHistogram()),
        };
    }

    /// <summary>A test that stopped before its first second: no timeline, no per-driver rows, no latency.hgrm.</summary>
    public static ReportSample NoTimeline()
    {
        var sample = ZeroRequests();
        return sample with
        {
            Name = "no-timeline",
            Summary = sample.Summary with { Timeline = [], State = TestSummaryBuilder.Stopped, Reason = "stopped by the user" },
            Timeseries = [],
            Hgrm = null,
        };
    }

    /// <summary>A one-second test in which every request failed.</summary>
    public static ReportSample ErrorsOnlyOneSecond() => Simulate("errors-only-1s", new Simulation
    {
        TestId = "errors-only",
        Seconds = 1,
        RequestsPerSecond = 40,
        ErrorRate = 1,
        ErrorKinds = [ErrorKind.Connect, ErrorKind.Reset, ErrorKind.Http4xx, ErrorKind.Protocol],
    });

    /// <summary>Strings an attacker could put in a plan or a driver id, and names outside ASCII.</summary>
    public const string HostileUrl = "http://127.0.0.1:8080/<script>window.__xss=1</script>?a=\"'&b=<img src=x onerror=window.__xss=2>";
    public const string HostileDriver = "\"><img src=x onerror=\"window.__xss=3\">";
    public const string HostileTestId = "</script><script>window.__xss=4</script>";
    public const string HostileThreshold = "p99_ms < 250 </script><b onmouseover=alert(1)>x</b>";
    public const string UnicodeDriver = "드라이버-東京-ü-🚀";

    public static ReportSample Hostile()
    {
        var sample = Simulate("hostile-and-unicode", new Simulation
        {
            TestId = HostileTestId,
            Drivers = [HostileDriver, UnicodeDriver],
            Targets = [HostileUrl, "http://例え.テスト:8080/ping"],
            Seconds = 12,
            RequestsPerSecond = 30,
            ErrorRate = 0.1,
        });
        return sample with
        {
            Summary = sample.Summary with
            {
                Thresholds = [.. sample.Summary.Thresholds, new ThresholdResult(HostileThreshold, 1.5, false)],
                Verdict = Verdict.Failed,
                Reason = "<b>bold</b> reason & more",
                Plan = sample.Summary.Plan with { Payload = "</script><script>window.__xss=5</script>" },
            },
        };
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
