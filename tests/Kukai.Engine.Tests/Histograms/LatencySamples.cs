using System.Numerics;

namespace Kukai.Engine.Tests.Histograms;

/// <summary>Seeded latency distributions (µs) and the exact statistics the histogram is checked against.</summary>
internal static class LatencySamples
{
    public const int SampleCount = 1_000_000;

    public static readonly string[] Distributions = ["uniform", "lognormal", "bimodal", "fullrange"];

    /// <summary>Generates <paramref name="count"/> samples of a named distribution, always the same for a seed.</summary>
    public static long[] Generate(string distribution, int count = SampleCount, int seed = 42)
    {
        var random = new Random(seed);
        var samples = new long[count];
        for (int i = 0; i < count; i++)
        {
            samples[i] = distribution switch
            {
                // 1 µs .. 1 s.
                "uniform" => 1 + random.NextInt64(1_000_000),

                // Median 1 ms, σ = 1.2 in log space: p99.99 near 90 ms.
                "lognormal" => (long)Math.Round(Math.Exp(Math.Log(1_000) + (1.2 * Gaussian(random)))),

                // 70 % around 200 µs (σ 30 µs), 30 % around 50 ms (σ 5 ms).
                "bimodal" => random.NextDouble() < 0.7
                    ? Math.Max(1, (long)Math.Round(200 + (30 * Gaussian(random))))
                    : Math.Max(1, (long)Math.Round(50_000 + (5_000 * Gaussian(random)))),

                // Log-uniform over 1 µs .. 1 h.
                "fullrange" => Math.Min(3_600_000_000, (long)Math.Round(Math.Exp(random.NextDouble() * Math.Log(3_600_000_000)))),

                _ => throw new ArgumentOutOfRangeException(nameof(distribution), distribution, null),
            };
        }

        return samples;
    }

    /// <summary>Nearest rank on sorted samples: rank = max(1, ⌈p/100 · n⌉), computed in exact decimals.</summary>
    public static long ExactPercentile(long[] sorted, double percentile)
    {
        long rank = (long)decimal.Ceiling((decimal)percentile * sorted.Length / 100m);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }

    /// <summary>Population standard deviation computed with arbitrary precision integers.</summary>
    public static double ExactStdDev(long[] samples)
    {
        BigInteger sum = 0;
        BigInteger sumOfSquares = 0;
        foreach (long v in samples)
        {
            sum += v;
            sumOfSquares += (BigInteger)v * v;
        }

        BigInteger n = samples.Length;
        BigInteger scaledVariance = (n * sumOfSquares) - (sum * sum); // n² · variance
        return Math.Sqrt((double)scaledVariance) / samples.Length;
    }

    private static double Gaussian(Random random)
    {
        // Box–Muller; 1 - NextDouble() is in (0, 1], so the logarithm is finite.
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
