using Kukai.Engine.Metrics;
using Kukai.Engine.Protocols;
using Kukai.Engine.Tests.Testing;
using Kukai.Engine.Timing;

namespace Kukai.Engine.Tests.Metrics;

public sealed class RunMetricsTests
{
    private static readonly ErrorKind[] Kinds = [ErrorKind.None, .. ErrorKinds.All];

    private readonly ManualTimeProvider _time = new();
    private readonly TimestampClock _clock;

    public RunMetricsTests() => _clock = new TimestampClock(_time);

    private long Us(long us) => _clock.MicrosecondsToTicks(us);

    [Fact]
    public void RecordCompletion_Paced_LatencyFromIntendedServiceFromSend()
    {
        var metrics = new RunMetrics(1, _clock);
        var stripe = metrics.NextStripe();
        var t0 = _clock.Now;

        RunMetrics.RecordSent(stripe, 0);
        metrics.RecordCompletion(stripe, 0, t0, t0, t0 + Us(3_000), t0 + Us(10_000), new RequestOutcome(ErrorKind.None, 200, 50, 70));
        var total = metrics.TakeInterval(0, 1).Total();

        Assert.Equal((1L, 1L, 1L, 0L, 50L, 70L, 1L), (total.Sent, total.Count, total.Ok, total.Errors, total.BytesSent, total.BytesReceived, total.Late));
        Assert.Equal(10_000, total.Latency.Max);
        Assert.Equal(7_000, total.ServiceTime.Max);
        Assert.Equal(3_000, total.ScheduleLag.Max);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1_000, false)]
    [InlineData(1_001, true)]
    [InlineData(50_000, true)]
    public void RecordCompletion_LagOverOneMillisecond_Late(long lagUs, bool late)
    {
        var metrics = new RunMetrics(1, _clock);
        var stripe = metrics.NextStripe();
        var t0 = _clock.Now;

        metrics.RecordCompletion(stripe, 0, t0, t0, t0 + Us(lagUs), t0 + Us(lagUs + 500), default);

        Assert.Equal(late ? 1 : 0, metrics.TakeInterval(0, 1).Total().Late);
    }

    [Theory]
    [InlineData(0, 0, 1_000, Lateness.OnTime)] // 1 ms behind is still on time
    [InlineData(0, 0, 1_001, Lateness.Behind)] // a connection was free at once: the generator was late
    [InlineData(0, 5_000, 5_100, Lateness.ConnectionsBusy)] // waited 5 ms for a connection, then left at once
    [InlineData(0, 800, 1_500, Lateness.ConnectionsBusy)] // 0.8 ms for a connection, 0.7 ms for the generator
    [InlineData(0, 600, 1_500, Lateness.Behind)] // 0.6 ms for a connection, 0.9 ms for the generator
    [InlineData(0, 1_000, 2_000, Lateness.ConnectionsBusy)] // a tie goes to the connections
    [InlineData(2_000, 0, 3_500, Lateness.Behind)] // a lane free before the request was due: no wait for it
    public void Classify_WaitForConnectionAndForGenerator_LargerOneIsTheCause(long intendedUs, long laneFreeUs, long sendUs, Lateness expected)
    {
        Assert.Equal(expected, RunMetrics.Classify(intendedUs, laneFreeUs, sendUs, thresholdTicks: 1_000));
    }

    [Fact]
    public void RecordCompletion_LateWaitingForALane_CountedAsConnectionsBusy()
    {
        var metrics = new RunMetrics(1, _clock);
        var stripe = metrics.NextStripe();
        var t0 = _clock.Now;

        metrics.RecordCompletion(stripe, 0, t0, t0 + Us(4_000), t0 + Us(4_050), t0 + Us(5_000), default);
        metrics.RecordCompletion(stripe, 0, t0, t0, t0 + Us(3_000), t0 + Us(4_000), default);

        var total = metrics.TakeInterval(0, 1).Total();
        Assert.Equal((2L, 1L), (total.Late, total.LateConnectionsBusy));
    }

    [Fact]
    public void RecordCompletion_ErrorKinds_CountedPerKindAndTarget()
    {
        var metrics = new RunMetrics(3, _clock);
        var stripe = metrics.NextStripe();
        var t0 = _clock.Now;

        metrics.RecordCompletion(stripe, 2, t0, t0, t0, t0 + Us(5), RequestOutcome.Failed(ErrorKind.Timeout));
        metrics.RecordCompletion(stripe, 2, t0, t0, t0, t0 + Us(5), RequestOutcome.Failed(ErrorKind.Http5xx, status: 503));
        metrics.RecordCompletion(stripe, 1, t0, t0, t0, t0 + Us(5), RequestOutcome.Failed(ErrorKind.Connect));
        var interval = metrics.TakeInterval(4, 0.5);

        Assert.Equal((4L, 0.5), (interval.Second, interval.ElapsedSeconds));
        Assert.True(interval.Targets[0].IsEmpty);
        Assert.Equal((1L, 0L, 1L), (interval.Targets[1].Count, interval.Targets[1].Ok, interval.Targets[1].ErrorsOf(ErrorKind.Connect)));
        Assert.Equal(2, interval.Targets[2].Errors);
        Assert.Equal(1, interval.Targets[2].ErrorsOf(ErrorKind.Timeout));
        Assert.Equal(1, interval.Targets[2].ErrorsOf(ErrorKind.Http5xx));
    }

    [Fact]
    public void TakeInterval_Twice_SecondIsEmpty()
    {
        var metrics = new RunMetrics(2, _clock, stripes: 3);
        var t0 = _clock.Now;
        for (var i = 0; i < 10; i++)
        {
            metrics.RecordCompletion(metrics.NextStripe(), i % 2, t0, t0, t0, t0 + Us(100), default);
        }

        metrics.RecordDropped();

        var first = metrics.TakeInterval(0, 1).Total();
        var empty = metrics.TakeInterval(1, 1);

        Assert.Equal((10L, 1L), (first.Count, first.Dropped));
        Assert.All(empty.Targets, t => Assert.True(t.IsEmpty));
    }

    [Fact]
    public void TakeInterval_Dropped_ChargedToFirstTarget()
    {
        var metrics = new RunMetrics(2, _clock);
        metrics.RecordDropped();
        metrics.RecordDropped();

        var interval = metrics.TakeInterval(0, 1);

        Assert.Equal(2, interval.Targets[0].Dropped);
        Assert.Equal(0, interval.Targets[1].Dropped);
        Assert.Equal(2, interval.Total().Dropped);
    }

    [Fact]
    public async Task TakeInterval_ConcurrentRecordersAndReporter_SumOfIntervalsIsExactlyWhatWasRecorded()
    {
        const int threads = 8;
        const int perThread = 40_000;
        var metrics = new RunMetrics(3, _clock, stripes: 3);
        var t0 = _clock.Now;
        using var go = new ManualResetEventSlim();

        // Halfway, the recorders wait until the reporter has taken something: its intervals overlap the recording
        // however the threads are scheduled (two busy cores run eight recorders to the end before it otherwise).
        using var reporterTookSome = new ManualResetEventSlim();
        var recorders = Enumerable.Range(0, threads).Select(id => Task.Factory.StartNew(
            () =>
            {
                var stripe = metrics.NextStripe();
                go.Wait();
                for (var i = 0; i < perThread; i++)
                {
                    if (i == perThread / 2)
                    {
                        reporterTookSome.Wait();
                    }

                    var target = i % 3;
                    RunMetrics.RecordSent(stripe, target);
                    var kind = Kinds[i % Kinds.Length];
                    var lagUs = i % 5 == 0 ? 2_000 : 0;
                    metrics.RecordCompletion(stripe, target, t0, t0, t0 + Us(lagUs), t0 + Us(lagUs + 1 + (i % 1000)), new RequestOutcome(kind, 200, 10, 20));
                    if (i % 7 == 0)
                    {
                        metrics.RecordDropped();
                    }
                }
            },
            TaskCreationOptions.LongRunning)).ToArray();

        var sum = new TargetCounters();
        var perTarget = new[] { new TargetCounters(), new TargetCounters(), new TargetCounters() };
        var intervals = 0;
        long? tookHalfwayAtMost = null;
        var done = Task.WhenAll(recorders);
        go.Set();
        while (!done.IsCompleted)
        {
            var interval = metrics.TakeInterval(intervals++, 1);
            sum.Add(interval.Total());
            for (var t = 0; t < 3; t++)
            {
                perTarget[t].Add(interval.Targets[t]);
            }

            if (sum.Count > 0 && tookHalfwayAtMost is null)
            {
                tookHalfwayAtMost = sum.Count; // no recorder is past halfway until this is set
                reporterTookSome.Set();
            }

            await Task.Yield();
        }

        await done;
        var last = metrics.TakeInterval(intervals++, 0.1);
        sum.Add(last.Total());
        for (var t = 0; t < 3; t++)
        {
            perTarget[t].Add(last.Targets[t]);
        }

        const long n = (long)threads * perThread;
        Assert.InRange(tookHalfwayAtMost ?? 0, 1, n / 2);
        Assert.Equal(n, sum.Sent);
        Assert.Equal(n, sum.Count);
        Assert.Equal(n, sum.Latency.Count);
        Assert.Equal(n, sum.ServiceTime.Count);
        Assert.Equal(n, sum.ScheduleLag.Count);
        Assert.Equal(n * 10, sum.BytesSent);
        Assert.Equal(n * 20, sum.BytesReceived);
        Assert.Equal(n / 5, sum.Late);
        Assert.Equal(threads * ((perThread + 6) / 7), sum.Dropped);
        long PerKind(int k) => Enumerable.Range(0, perThread).Count(i => i % Kinds.Length == k) * (long)threads;
        Assert.Equal(PerKind(0), sum.Ok);
        for (var k = 1; k < Kinds.Length; k++)
        {
            Assert.Equal(PerKind(k), sum.ErrorsOf(Kinds[k]));
        }

        long expectedLatencySum = 0;
        for (var i = 0; i < perThread; i++)
        {
            expectedLatencySum += (i % 5 == 0 ? 2_000 : 0) + 1 + (i % 1000);
        }

        Assert.Equal(expectedLatencySum * threads, sum.Latency.Sum);
        for (var t = 0; t < 3; t++)
        {
            Assert.Equal(Enumerable.Range(0, perThread).Count(i => i % 3 == t) * (long)threads, perTarget[t].Count);
        }
    }

    [Fact]
    public void RecordCompletion_WithSink_RecordsHandedOverInFullChunksThenFlushed()
    {
        var sink = new CapturingRecordSink(chunkSize: 7);
        var metrics = new RunMetrics(2, _clock, sink, stripes: 2);
        var (a, b) = (metrics.NextStripe(), metrics.NextStripe());
        var t0 = _clock.Now;

        for (var i = 0; i < 100; i++)
        {
            metrics.RecordCompletion(i % 2 == 0 ? a : b, i % 2, t0 + Us(i), t0 + Us(i), t0 + Us(i), t0 + Us(i + 250), new RequestOutcome(ErrorKind.None, 200, 1, 2));
        }

        Assert.Equal(Enumerable.Repeat(7, 14), sink.Chunks);
        metrics.FlushRecords();
        metrics.FlushRecords();

        Assert.Equal(100, sink.Records.Count);
        Assert.Equal([1, 1], sink.Chunks.Skip(14).Order());
        Assert.Equal(Enumerable.Range(0, 100).Select(i => _clock.ToUnixNanoseconds(t0 + Us(i))), sink.Records.Select(r => r.TimestampNs).Order());
        Assert.All(sink.Records, r => Assert.Equal((250L, 200, ErrorKind.None, 1L, 2L), (r.LatencyUs, r.Status, r.Error, r.BytesSent, r.BytesReceived)));
        Assert.Equal(50, sink.Records.Count(r => r.TargetIndex == 1));
    }

    [Fact]
    public void RecordCompletion_FailedRequest_RecordCarriesErrorAndStatus()
    {
        var sink = new CapturingRecordSink();
        var metrics = new RunMetrics(1, _clock, sink);
        var t0 = _clock.Now;

        metrics.RecordCompletion(metrics.NextStripe(), 0, t0, t0, t0, t0 + Us(9), RequestOutcome.Failed(ErrorKind.Http4xx, 5, 6, 404));
        metrics.FlushRecords();

        Assert.Equal(new RequestRecord(_clock.ToUnixNanoseconds(t0), 0, 9, 404, ErrorKind.Http4xx, 5, 6), Assert.Single(sink.Records));
    }

    [Fact]
    public void RecordCompletion_SinkThrowsOnce_LaterRecordsStillDelivered()
    {
        var sink = new FailOnceSink();
        var metrics = new RunMetrics(1, _clock, sink, stripes: 1);
        var stripe = metrics.NextStripe();
        var t0 = _clock.Now;
        void Record() => metrics.RecordCompletion(stripe, 0, t0, t0, t0, t0 + Us(1), default);

        for (var i = 0; i < 3; i++)
        {
            Record();
        }

        Assert.Throws<IOException>(Record); // the 4th fills the chunk; the sink fails once
        for (var i = 0; i < 6; i++)
        {
            Record();
        }

        metrics.FlushRecords();

        Assert.Equal([4, 2], sink.Delivered);
        Assert.Equal(10, metrics.TakeInterval(0, 1).Total().Count);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void RecordCompletion_FractionZeroOrOne_Exact(double fraction)
    {
        var sink = new CapturingRecordSink();
        var metrics = new RunMetrics(1, _clock, sink, fraction);
        var t0 = _clock.Now;

        for (var i = 0; i < 1000; i++)
        {
            metrics.RecordCompletion(metrics.NextStripe(), 0, t0, t0, t0, t0 + Us(1), default);
        }

        metrics.FlushRecords();

        Assert.Equal((int)(1000 * fraction), sink.Records.Count);
        Assert.Equal(1000, metrics.TakeInterval(0, 1).Total().Count);
    }

    [Theory]
    [InlineData(0.25)]
    [InlineData(0.01)]
    [InlineData(0.9)]
    public void RecordCompletion_SamplingFraction_RoughlyRespected(double fraction)
    {
        const int n = 100_000;
        var sink = new CapturingRecordSink(chunkSize: 1024);
        var metrics = new RunMetrics(1, _clock, sink, fraction, stripes: 4);
        var t0 = _clock.Now;

        for (var i = 0; i < n; i++)
        {
            metrics.RecordCompletion(metrics.NextStripe(), 0, t0, t0, t0, t0 + Us(1), default);
        }

        metrics.FlushRecords();

        var sigma = Math.Sqrt(n * fraction * (1 - fraction));
        Assert.InRange(sink.Records.Count, n * fraction - 5 * sigma, n * fraction + 5 * sigma);
        Assert.Equal(n, metrics.TakeInterval(0, 1).Total().Count);
    }

    [Fact]
    public void Constructor_NoTargets_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RunMetrics(0, _clock));
    }

    private sealed class FailOnceSink : IRequestRecordSink
    {
        private bool _failed;

        public List<int> Delivered { get; } = [];

        public RequestRecord[] Rent() => new RequestRecord[4];

        public void Submit(RequestRecord[] chunk, int count)
        {
            if (!_failed)
            {
                _failed = true;
                throw new IOException("disk full");
            }

            Delivered.Add(count);
        }
    }
}
