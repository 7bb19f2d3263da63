using Kukai.Engine.Histograms;

namespace Kukai.Engine.Tests.Histograms;

public class LatencyHistogramTests
{
    private const long Highest = LatencyHistogram.HighestTrackableValue;

    private static readonly double[] Percentiles = [0, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100];

    public static TheoryData<string> Distributions => new(LatencySamples.Distributions);

    [Theory]
    [MemberData(nameof(Distributions))]
    public void ValueAtPercentile_MillionSamples_WithinOneThousandthOfExactNearestRank(string distribution)
    {
        long[] samples = LatencySamples.Generate(distribution);
        LatencyHistogram histogram = Build(samples);
        Array.Sort(samples);

        foreach (double p in Percentiles)
        {
            long exact = LatencySamples.ExactPercentile(samples, p);
            long actual = histogram.ValueAtPercentile(p);

            // The highest equivalent value is never below the sample and at most one bucket (≤ 1/1024) above it.
            Assert.True(actual >= exact && actual - exact <= exact / 1024.0,
                $"{distribution} p{p}: histogram {actual}, exact {exact}");
        }

        Assert.Equal(samples[^1], histogram.ValueAtPercentile(100));
    }

    [Theory]
    [MemberData(nameof(Distributions))]
    public void SideStatistics_MillionSamples_MatchExactComputation(string distribution)
    {
        long[] samples = LatencySamples.Generate(distribution);
        LatencyHistogram histogram = Build(samples);

        long sum = 0;
        foreach (long v in samples)
        {
            sum += v;
        }

        Assert.Equal(samples.Length, histogram.Count);
        Assert.Equal(samples.Min(), histogram.Min);
        Assert.Equal(samples.Max(), histogram.Max);
        Assert.Equal(sum, histogram.Sum);
        Assert.Equal((double)sum / samples.Length, histogram.Mean);
        double exactStdDev = LatencySamples.ExactStdDev(samples);
        Assert.InRange(histogram.StdDev, exactStdDev * (1 - 1e-12), exactStdDev * (1 + 1e-12));
        Assert.Equal(0, histogram.Saturated);
        Assert.False(histogram.IsEmpty);
    }

    [Theory]
    [MemberData(nameof(Distributions))]
    public void Add_EightSlices_EqualsHistogramOfUnion(string distribution)
    {
        long[] samples = LatencySamples.Generate(distribution);
        LatencyHistogram union = Build(samples);

        const int slices = 8;
        var parts = new LatencyHistogram[slices];
        for (int s = 0; s < slices; s++)
        {
            int from = s * samples.Length / slices;
            int to = (s + 1) * samples.Length / slices;
            parts[s] = Build(samples.AsSpan(from, to - from));
        }

        var forward = new LatencyHistogram();
        foreach (LatencyHistogram part in parts)
        {
            forward.Add(part);
        }

        var backward = new LatencyHistogram();
        for (int s = slices - 1; s >= 0; s--)
        {
            backward.Add(parts[s]);
        }

        Assert.True(forward.ContentEquals(union));
        Assert.True(backward.ContentEquals(union));
        Assert.Equal(union.StdDev, forward.StdDev);
        Assert.Equal(union.Mode(), forward.Mode());
        foreach (double p in Percentiles)
        {
            Assert.Equal(union.ValueAtPercentile(p), forward.ValueAtPercentile(p));
        }

        Assert.Equal(union.RecordedBuckets.ToArray(), forward.RecordedBuckets.ToArray());
    }

    [Fact]
    public void Add_SlicesShippedInBinaryForm_EqualsHistogramOfUnion()
    {
        long[] samples = LatencySamples.Generate("lognormal", 200_000, seed: 7);
        LatencyHistogram union = Build(samples);

        var merged = new LatencyHistogram();
        for (int s = 0; s < 20; s++)
        {
            byte[] wire = Build(samples.AsSpan(s * 10_000, 10_000)).ToByteArray();
            merged.Add(LatencyHistogram.ReadFrom(wire));
        }

        Assert.True(merged.ContentEquals(union));
    }

    [Fact]
    public void Add_EmptyAndSelf_MergesExactly()
    {
        LatencyHistogram histogram = Build([3, 5_000, 70_000]);
        LatencyHistogram expected = Build([3, 5_000, 70_000, 3, 5_000, 70_000]);

        histogram.Add(new LatencyHistogram());
        histogram.Add(histogram);

        Assert.True(histogram.ContentEquals(expected));
    }

    [Fact]
    public void Add_IntoEmpty_KeepsMinOfOther()
    {
        var target = new LatencyHistogram();
        target.Add(Build([42, 43]));

        Assert.Equal(42, target.Min);
        Assert.Equal(43, target.Max);
    }

    [Fact]
    public void Statistics_Empty_AreZero()
    {
        var histogram = new LatencyHistogram();

        Assert.True(histogram.IsEmpty);
        Assert.Equal(0, histogram.Count);
        Assert.Equal(0, histogram.Min);
        Assert.Equal(0, histogram.Max);
        Assert.Equal(0, histogram.Sum);
        Assert.Equal(0, histogram.Mean);
        Assert.Equal(0, histogram.StdDev);
        Assert.Equal(0, histogram.Saturated);
        Assert.Equal(0, histogram.ValueAtPercentile(0));
        Assert.Equal(0, histogram.ValueAtPercentile(50));
        Assert.Equal(0, histogram.ValueAtPercentile(100));
        Assert.Equal(0, histogram.Mode());
        Assert.Empty(histogram.RecordedBuckets);
        Assert.Equal(0, histogram.AllocatedChunkCount);
    }

    [Fact]
    public void Record_NegativeValues_RecordedAsZero()
    {
        var histogram = new LatencyHistogram();

        histogram.Record(-5);
        histogram.Record(long.MinValue);
        histogram.RecordMany(-1, 3);

        Assert.Equal(5, histogram.Count);
        Assert.Equal(0, histogram.Min);
        Assert.Equal(0, histogram.Max);
        Assert.Equal(0, histogram.Sum);
        Assert.Equal(0, histogram.Saturated);
        Assert.Equal([new HistogramBucket(0, 0, 5)], histogram.RecordedBuckets.ToArray());
    }

    [Fact]
    public void Record_AboveRange_RecordedAsMaxAndCountedSaturated()
    {
        var histogram = new LatencyHistogram();

        histogram.Record(Highest);
        histogram.Record(Highest + 1);
        histogram.Record(long.MaxValue);
        histogram.RecordMany(Highest * 2, 4);
        histogram.Record(10);

        Assert.Equal(8, histogram.Count);
        Assert.Equal(6, histogram.Saturated);
        Assert.Equal(10, histogram.Min);
        Assert.Equal(Highest, histogram.Max);
        Assert.Equal((7 * Highest) + 10, histogram.Sum);
        Assert.Equal(Highest, histogram.ValueAtPercentile(100));
        Assert.Equal(Highest, histogram.ValueAtPercentile(50));
    }

    [Fact]
    public void RecordMany_SameValues_EqualsRepeatedRecord()
    {
        var many = new LatencyHistogram();
        var single = new LatencyHistogram();
        foreach ((long value, int count) in new[] { (0L, 3), (1_999L, 7), (123_456L, 11), (Highest, 2) })
        {
            many.RecordMany(value, count);
            for (int i = 0; i < count; i++)
            {
                single.Record(value);
            }
        }

        many.RecordMany(5, 0);

        Assert.True(many.ContentEquals(single));
        Assert.Equal(single.StdDev, many.StdDev);
    }

    [Fact]
    public void RecordMany_NegativeCount_Throws()
    {
        var histogram = new LatencyHistogram();

        Assert.Throws<ArgumentOutOfRangeException>(() => histogram.RecordMany(10, -1));
        Assert.True(histogram.IsEmpty);
    }

    [Theory]
    [InlineData(-0.001)]
    [InlineData(100.001)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void ValueAtPercentile_OutsideZeroToHundred_Throws(double percentile)
    {
        LatencyHistogram histogram = Build([1, 2, 3]);

        Assert.Throws<ArgumentOutOfRangeException>(() => histogram.ValueAtPercentile(percentile));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LatencyHistogram().ValueAtPercentile(percentile));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 10)]
    [InlineData(50, 500)]
    [InlineData(99, 990)]
    [InlineData(99.9, 999)]
    [InlineData(99.95, 1000)]
    [InlineData(100, 1000)]
    public void ValueAtPercentile_ExactValues_ReturnsNearestRank(double percentile, long expected)
    {
        var histogram = new LatencyHistogram();
        for (long v = 1; v <= 1_000; v++)
        {
            histogram.Record(v);
        }

        Assert.Equal(expected, histogram.ValueAtPercentile(percentile));
    }

    [Fact]
    public void ValueAtPercentile_WideBucket_ReturnsHighestEquivalentClampedToMinMax()
    {
        // 10_000 is in the 8 µs wide bucket 10_000 .. 10_007.
        LatencyHistogram histogram = Build([10_000, 20_000]);

        Assert.Equal(10_007, histogram.ValueAtPercentile(50));
        Assert.Equal(10_007, histogram.ValueAtPercentile(0));
        Assert.Equal(20_000, histogram.ValueAtPercentile(100));
        Assert.Equal(10_000, Build([10_000]).ValueAtPercentile(50));
    }

    [Fact]
    public void Mode_TieBetweenBins_ReturnsLowerBin()
    {
        LatencyHistogram histogram = Build([150, 150, 150, 250, 250, 250, 1_000]);

        Assert.Equal(100, histogram.Mode());
    }

    [Fact]
    public void Mode_OneBinMoreFrequent_ReturnsItsLowerBound()
    {
        LatencyHistogram histogram = Build([150, 150, 150, 250, 250, 299, 201, 5]);

        Assert.Equal(200, histogram.Mode());
    }

    [Fact]
    public void Mode_ValuesSpreadAcrossBins_ReturnsDensestBin()
    {
        // Below 2048 µs buckets are exact, so every 100 µs bin holds exactly 100 of these values.
        var histogram = new LatencyHistogram();
        for (long v = 0; v < 2_000; v++)
        {
            histogram.Record(v);
        }

        histogram.Record(1_050);

        Assert.Equal(1_000, histogram.Mode());
        Assert.Equal(1_000, histogram.Mode(binWidthUs: 1_000));
        Assert.Equal(0, histogram.Mode(binWidthUs: 20_000));

        histogram.RecordMany(1_999, 2);
        Assert.Equal(1_900, histogram.Mode());
    }

    [Fact]
    public void Mode_CustomBinWidth_TieGoesLower()
    {
        // 2_500 is in a 2 µs wide bucket whose median equivalent is 2_501: still the 2_000 .. 2_999 bin.
        LatencyHistogram histogram = Build([1_500, 1_999, 2_500, 2_500]);

        Assert.Equal(1_000, histogram.Mode(binWidthUs: 1_000));
    }

    [Fact]
    public void Mode_WideBuckets_UsesBinOfBucketMedian()
    {
        // Around 1 s buckets are 512 µs wide: 1_000_000 falls in 999_936 .. 1_000_447, median 1_000_192.
        LatencyHistogram histogram = Build([1_000_000, 1_000_000, 1_000_400, 2_000_000]);

        Assert.Equal(1_000_100, histogram.Mode());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-100)]
    public void Mode_NonPositiveBinWidth_Throws(long binWidth)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Build([1]).Mode(binWidth));
    }

    [Fact]
    public void RecordedBuckets_MixedValues_AscendingNonEmptyWithCounts()
    {
        LatencyHistogram histogram = Build([7, 7, 2_047, 2_048, 2_049, 1_000_000, Highest]);

        HistogramBucket[] buckets = histogram.RecordedBuckets.ToArray();

        Assert.Equal(
            [
                new HistogramBucket(7, 7, 2),
                new HistogramBucket(2_047, 2_047, 1),
                new HistogramBucket(2_048, 2_049, 2),
                new HistogramBucket(999_936, 1_000_447, 1),
                new HistogramBucket(3_598_712_832, 3_600_809_983, 1),
            ],
            buckets);
        Assert.Equal(histogram.Count, buckets.Sum(b => b.Count));
    }

    [Fact]
    public void Layout_AllIndices_ContiguousAndWithinOneThousandthRelativeWidth()
    {
        Assert.Equal(LatencyHistogram.IndexCount - 1, LatencyHistogram.IndexOf(Highest));
        Assert.Equal(0, LatencyHistogram.LowestEquivalentOf(0));
        for (int i = 0; i < LatencyHistogram.IndexCount; i++)
        {
            long lowest = LatencyHistogram.LowestEquivalentOf(i);
            long highest = LatencyHistogram.HighestEquivalentOf(i);
            Assert.Equal(i, LatencyHistogram.IndexOf(lowest));
            Assert.Equal(i, LatencyHistogram.IndexOf(highest));
            Assert.True(highest - lowest + 1 <= Math.Max(1, lowest / 1024), $"index {i}: {lowest}..{highest}");
            if (i + 1 < LatencyHistogram.IndexCount)
            {
                Assert.Equal(highest + 1, LatencyHistogram.LowestEquivalentOf(i + 1));
            }
        }
    }

    [Fact]
    public void Layout_ValuesBelow2048_AreExactBuckets()
    {
        for (long v = 0; v < 2_048; v++)
        {
            int index = LatencyHistogram.IndexOf(v);
            Assert.Equal(v, LatencyHistogram.LowestEquivalentOf(index));
            Assert.Equal(v, LatencyHistogram.HighestEquivalentOf(index));
        }
    }

    [Fact]
    public void Record_FewMagnitudes_AllocatesFewChunks()
    {
        long[] samples = LatencySamples.Generate("bimodal", 100_000);
        LatencyHistogram histogram = Build(samples);

        // 200 µs and 50 ms clusters: a few 1 KiB chunks around each, nowhere near the whole range.
        Assert.InRange(histogram.AllocatedChunkCount * LatencyHistogram.ChunkLength * sizeof(long), 2 * 1024, 16 * 1024);
    }

    [Fact]
    public void Record_FullRange_AllocatesAtMostAllChunks()
    {
        LatencyHistogram histogram = Build(LatencySamples.Generate("fullrange", 100_000));

        Assert.Equal(LatencyHistogram.ChunkCount, histogram.AllocatedChunkCount);
        Assert.True(LatencyHistogram.ChunkCount * LatencyHistogram.ChunkLength * sizeof(long) <= 200 * 1024);
    }

    [Fact]
    public void Reset_AfterRecording_EmptyAndKeepsChunks()
    {
        LatencyHistogram histogram = Build([1, 50_000, Highest + 1]);
        int chunks = histogram.AllocatedChunkCount;

        histogram.Reset();

        Assert.True(histogram.ContentEquals(new LatencyHistogram()));
        Assert.True(histogram.IsEmpty);
        Assert.Equal(0, histogram.Min);
        Assert.Equal(0, histogram.Saturated);
        Assert.Empty(histogram.RecordedBuckets);
        Assert.Equal(chunks, histogram.AllocatedChunkCount);

        histogram.Record(9);
        Assert.True(histogram.ContentEquals(Build([9])));
    }

    [Fact]
    public void Clone_Recorded_EqualAndIndependent()
    {
        LatencyHistogram original = Build([1, 2, 3_000, 4_000_000, Highest + 9]);

        LatencyHistogram clone = original.Clone();
        Assert.True(clone.ContentEquals(original));

        clone.Record(3_000);
        Assert.False(clone.ContentEquals(original));
        Assert.Equal(5, original.Count);
    }

    [Fact]
    public void ContentEquals_DifferentBucketsSameStatistics_False()
    {
        // Same count, min, max and sum, different middle values (and so sum of squares and buckets).
        LatencyHistogram a = Build([0, 10, 20, 30]);
        LatencyHistogram b = Build([0, 15, 15, 30]);

        Assert.False(a.ContentEquals(b));
        Assert.True(a.ContentEquals(Build([30, 20, 10, 0])));
    }

    [Fact]
    public void StdDev_ConstantLargeValues_IsZero()
    {
        var histogram = new LatencyHistogram();
        histogram.RecordMany(Highest, 1_000_000);

        Assert.Equal(0, histogram.StdDev);
        Assert.Equal(Highest, histogram.Mean);
    }

    [Fact]
    public void StdDev_SmallSpreadOnLargeValues_Exact()
    {
        // Population σ of {v, v + 2} is 1 whatever v: no cancellation even near the top of the range.
        LatencyHistogram histogram = Build([3_599_999_000, 3_599_999_002]);

        Assert.Equal(1.0, histogram.StdDev);
    }

    internal static LatencyHistogram Build(ReadOnlySpan<long> values)
    {
        var histogram = new LatencyHistogram();
        foreach (long v in values)
        {
            histogram.Record(v);
        }

        return histogram;
    }
}
