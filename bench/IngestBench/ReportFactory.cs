using Kukai.Cluster.Messages;
using Kukai.Engine.Metrics;
using Kukai.Engine.Protocols;

namespace Kukai.Bench.Ingest;

/// <summary>
/// Realistic per-second measurements for simulated drivers: a pool of <see cref="CountersDto"/>s built with
/// <see cref="CountersDto.From"/> from counters whose histograms hold a log-normal latency sample (median ~1.2 ms, a
/// 1 % tail up to ~60 ms), so each report carries a few hundred buckets per histogram. Driver d's report for second s
/// is variant (d + s) mod the pool size; its exact totals over a test are precomputed the same way.
/// </summary>
internal sealed class ReportFactory
{
    private const int Variants = 32;
    private readonly TargetCounters[] _counters = new TargetCounters[Variants];
    private readonly CountersDto[] _dtos = new CountersDto[Variants];
    private readonly Dictionary<int, CountersDto> _totals = [];
    private readonly Lock _sync = new();
    private readonly int _seconds;

    public ReportFactory(int samples, int seconds, int seed = 42)
    {
        _seconds = seconds;
        var random = new Random(seed);
        for (var v = 0; v < Variants; v++)
        {
            var c = new TargetCounters();
            long errors = 0;
            for (var i = 0; i < samples; i++)
            {
                var tail = random.NextDouble() < 0.01;
                var latency = (long)(tail ? 5_000 + (random.NextDouble() * 55_000) : 1_200 * Math.Exp(0.45 * Gaussian(random)));
                var service = (long)(latency * (0.85 + (0.15 * random.NextDouble())));
                c.Latency.Record(latency);
                c.ServiceTime.Record(service);
                c.ScheduleLag.Record(latency - service);
                if (tail && random.NextDouble() < 0.1)
                {
                    errors++;
                }
            }

            c.Sent = c.Count = samples;
            c.Ok = samples - errors;
            c.AddErrors(ErrorKind.Timeout, errors);
            c.BytesSent = samples * 80L;
            c.BytesReceived = samples * 120L;
            _counters[v] = c;
            _dtos[v] = CountersDto.From(c);
        }
    }

    /// <summary>Requests each report counts.</summary>
    public long PerReport => _counters[0].Count;

    /// <summary>Buckets of the first variant's latency histogram (the others are alike).</summary>
    public int LatencyBuckets
    {
        get
        {
            var n = 0;
            foreach (var _ in _counters[0].Latency.RecordedBuckets)
            {
                n++;
            }

            return n;
        }
    }

    /// <summary>Bytes of one encoded report message.</summary>
    public int EncodedReportBytes => ClusterMessageCodec.Encode(new ReportMessage(0, 1, [_dtos[0]], new(12.5, 40, false)) { DriverId = "sim-00000", TestId = "t" }).Length;

    /// <summary>Driver <paramref name="driver"/>'s measurements for <paramref name="second"/>.</summary>
    public CountersDto Report(int driver, long second) => _dtos[(int)((driver + second) % Variants)];

    /// <summary>A driver's exact totals over the whole test (the sum of its reports).</summary>
    public CountersDto Totals(int driver)
    {
        var key = driver % Variants;
        lock (_sync)
        {
            if (!_totals.TryGetValue(key, out var dto))
            {
                var sum = new TargetCounters();
                for (var s = 0; s < _seconds; s++)
                {
                    sum.Add(_counters[(key + s) % Variants]);
                }

                _totals[key] = dto = CountersDto.From(sum);
            }

            return dto;
        }
    }

    private static double Gaussian(Random random)
    {
        // Box–Muller.
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
