using System.Numerics;
using System.Runtime.CompilerServices;

namespace Kukai.Engine.Histograms;

/// <summary>
/// An HDR-style latency histogram of microsecond values over 0 .. <see cref="HighestTrackableValue"/> (1 h),
/// with 3 significant decimal digits: values below 2048 µs are exact and every bucket's width is at most
/// 1/1024 of its lowest value (relative error &lt; 0.1 %, SPEC §3). Beside the buckets it keeps exact side
/// statistics (count, min, max, sum, sum of squares), so <see cref="Mean"/> and <see cref="StdDev"/> are not
/// bucket estimates and everything merges exactly through <see cref="Add"/>.
/// </summary>
/// <remarks>
/// <para>Not thread-safe: one owner records into it, or callers lock around every call.</para>
/// <para>
/// Layout (HdrHistogram's, unit 1 µs, sub-bucket count 2048, half count 1024). A value v falls in power-of-two
/// bucket b = 53 - lzcnt(v | 2047) (b = 0 for v &lt; 2048) and sub-bucket s = v &gt;&gt; b, which is in
/// [1024, 2048) for b ≥ 1 and [0, 2048) for b = 0. The flat index is i = (b &lt;&lt; 10) + s, so indices
/// 0..2047 are the exact values 0..2047 and every later run of 1024 indices is one bucket b = i/1024 - 1 whose
/// slots are 2^b µs wide: width / value ≤ 2^b / (1024·2^b) = 1/1024. 3.6e9 µs &lt; 2^32 needs b ≤ 21, the
/// highest index is IndexOf(3.6e9) = 23220.
/// </para>
/// <para>
/// Memory: counts are stored in chunks of 128 longs (1 KiB), allocated on first use, so a histogram costs a
/// 1.5 KiB chunk directory plus 1 KiB per touched run of 128 indices: a few KiB for real latencies, whose values
/// cluster; 182 × 1 KiB = 182 KiB at most.
/// <see cref="Reset"/> keeps allocated chunks for reuse.
/// </para>
/// <para>
/// <see cref="Sum"/> is a <see langword="long"/> of µs and wraps after 9.2e18 µs in total (2.5 billion one-hour
/// latencies); the sum of squares is an exact 128-bit integer that cannot overflow below 2^63 values.
/// </para>
/// </remarks>
public sealed partial class LatencyHistogram
{
    /// <summary>Largest recordable value: one hour in µs. Larger values are recorded as this value.</summary>
    public const long HighestTrackableValue = 3_600_000_000;

    /// <summary>Counts per storage chunk (2^7: 1 KiB).</summary>
    internal const int ChunkLength = 1 << ChunkShift;

    /// <summary>Number of flat indices: IndexOf(<see cref="HighestTrackableValue"/>) + 1.</summary>
    internal const int IndexCount = 23221;

    /// <summary>Number of chunks needed to cover <see cref="IndexCount"/> indices.</summary>
    internal const int ChunkCount = (IndexCount + ChunkLength - 1) >> ChunkShift;

    // Storage: counts live in chunks of 128, allocated on first use. Smaller than a magnitude (1024 sub-buckets), so
    // real latencies, which cluster, touch a few KiB rather than a few 8 KiB magnitudes: an orchestrator holds three
    // histograms per driver and decodes three per report.
    private const int ChunkShift = 7;
    private const int ChunkMask = ChunkLength - 1;

    // Bucket math: sub-buckets per half bucket (2^10).
    private const int HalfShift = 10;
    private const int HalfCount = 1 << HalfShift;
    private const int HalfMask = HalfCount - 1;

    // Values below SubBucketCount (2048) share bucket 0; OR-ing the mask in makes lzcnt give bucket 0 for them.
    private const long SubBucketMask = (2L << HalfShift) - 1;

    // 64 - unit magnitude (0) - sub-bucket half count magnitude (10) - 1.
    private const int LeadingZeroCountBase = 64 - HalfShift - 1;

    private readonly long[]?[] _chunks = new long[]?[ChunkCount];
    private long _count;
    private long _min = long.MaxValue;
    private long _max;
    private long _sum;
    private UInt128 _sumOfSquares;
    private long _saturated;

    /// <summary>Number of recorded values.</summary>
    public long Count => _count;

    public bool IsEmpty => _count == 0;

    /// <summary>Smallest recorded value (µs, exact, after clamping to the range); 0 when empty.</summary>
    public long Min => _count == 0 ? 0 : _min;

    /// <summary>Largest recorded value (µs, exact, after clamping to the range); 0 when empty.</summary>
    public long Max => _max;

    /// <summary>Sum of the recorded values (µs, exact, after clamping).</summary>
    public long Sum => _sum;

    /// <summary>Number of values above <see cref="HighestTrackableValue"/> that were recorded as that value.</summary>
    public long Saturated => _saturated;

    /// <summary>Exact mean (µs): <see cref="Sum"/> / <see cref="Count"/>; 0 when empty.</summary>
    public double Mean => _count == 0 ? 0 : (double)_sum / _count;

    /// <summary>Population standard deviation (µs) from the exact sums; 0 when empty.</summary>
    public double StdDev
    {
        get
        {
            if (_count == 0)
            {
                return 0;
            }

            // Σ(v - mean)² = Σv² - S²/n. With S = q·n + r: S²/n = q²·n + 2qr + r²/n. The integer part is
            // subtracted exactly in 128 bits, so there is no cancellation however small the spread.
            ulong n = (ulong)_count;
            ulong s = (ulong)_sum;
            ulong q = s / n;
            ulong r = s % n;
            UInt128 integerPart = (UInt128)q * q * n + (UInt128)q * r * 2;
            if (_sumOfSquares < integerPart)
            {
                return 0;
            }

            double m2 = (double)(_sumOfSquares - integerPart) - (double)r * r / n;
            return m2 <= 0 ? 0 : Math.Sqrt(m2 / n);
        }
    }

    /// <summary>The non-empty buckets in ascending order; <c>foreach</c> over it allocates nothing.</summary>
    public RecordedBucketEnumerable RecordedBuckets => new(this);

    /// <summary>Number of allocated count chunks (1 KiB each); for memory tests.</summary>
    internal int AllocatedChunkCount
    {
        get
        {
            int n = 0;
            foreach (long[]? chunk in _chunks)
            {
                if (chunk is not null)
                {
                    n++;
                }
            }

            return n;
        }
    }

    /// <summary>Records one latency. Negative values count as 0; values above the range as the maximum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Record(long valueUs)
    {
        if ((ulong)valueUs > HighestTrackableValue)
        {
            valueUs = ClampOutOfRange(valueUs, 1);
        }

        int index = IndexOf(valueUs);
        long[] chunk = _chunks[index >> ChunkShift] ?? AllocateChunk(index >> ChunkShift);
        chunk[index & ChunkMask]++;
        _count++;
        _sum += valueUs;
        _sumOfSquares += (ulong)valueUs * (ulong)valueUs; // ≤ 3.6e9² < 2^64: exact in 64 bits.
        if (valueUs < _min)
        {
            _min = valueUs;
        }

        if (valueUs > _max)
        {
            _max = valueUs;
        }
    }

    /// <summary>Records <paramref name="count"/> occurrences of one latency (clamped like <see cref="Record"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public void RecordMany(long valueUs, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
        {
            return;
        }

        if ((ulong)valueUs > HighestTrackableValue)
        {
            valueUs = ClampOutOfRange(valueUs, count);
        }

        int index = IndexOf(valueUs);
        long[] chunk = _chunks[index >> ChunkShift] ?? AllocateChunk(index >> ChunkShift);
        chunk[index & ChunkMask] += count;
        _count += count;
        _sum += valueUs * count;
        _sumOfSquares += (UInt128)((ulong)valueUs * (ulong)valueUs) * (ulong)count;
        if (valueUs < _min)
        {
            _min = valueUs;
        }

        if (valueUs > _max)
        {
            _max = valueUs;
        }
    }

    /// <summary>
    /// The value at <paramref name="percentile"/> by nearest rank: rank = max(1, ⌈p/100 · Count⌉), and the
    /// result is the highest value equivalent to the bucket holding the rank-th smallest value, clamped to
    /// [<see cref="Min"/>, <see cref="Max"/>] (so 100 gives <see cref="Max"/> exactly). 0 when empty.
    /// </summary>
    /// <param name="percentile">In [0, 100].</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="percentile"/> is NaN or outside [0, 100].</exception>
    public long ValueAtPercentile(double percentile)
    {
        if (!(percentile >= 0 && percentile <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "percentile must be in [0, 100]");
        }

        if (_count == 0)
        {
            return 0;
        }

        long rank = RankOf(percentile, _count);
        if (rank >= _count)
        {
            return _max;
        }

        long cumulative = 0;
        for (int c = 0; c < ChunkCount; c++)
        {
            long[]? chunk = _chunks[c];
            if (chunk is null)
            {
                continue;
            }

            for (int i = 0; i < chunk.Length; i++)
            {
                cumulative += chunk[i];
                if (cumulative >= rank)
                {
                    return Math.Clamp(HighestEquivalentOf((c << ChunkShift) + i), _min, _max);
                }
            }
        }

        return _max; // Unreachable while the counts add up to Count.
    }

    /// <summary>
    /// <see cref="ValueAtPercentile"/> for several percentiles in one pass over the counts (any order; results
    /// line up with <paramref name="percentiles"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A percentile outside [0, 100], or spans of different lengths.</exception>
    public void ValuesAtPercentiles(ReadOnlySpan<double> percentiles, Span<long> values)
    {
        if (values.Length != percentiles.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(values), "one value per percentile");
        }

        Span<long> ranks = percentiles.Length <= 32 ? stackalloc long[percentiles.Length] : new long[percentiles.Length];
        Span<int> order = percentiles.Length <= 32 ? stackalloc int[percentiles.Length] : new int[percentiles.Length];
        for (int i = 0; i < percentiles.Length; i++)
        {
            double p = percentiles[i];
            if (!(p >= 0 && p <= 100))
            {
                throw new ArgumentOutOfRangeException(nameof(percentiles), p, "percentile must be in [0, 100]");
            }

            ranks[i] = _count == 0 ? 0 : RankOf(p, _count);
            order[i] = i;
        }

        if (_count == 0)
        {
            values.Clear();
            return;
        }

        // Insertion sort of the indices by rank: a handful of percentiles.
        for (int i = 1; i < order.Length; i++)
        {
            int o = order[i];
            int j = i - 1;
            while (j >= 0 && ranks[order[j]] > ranks[o])
            {
                order[j + 1] = order[j];
                j--;
            }

            order[j + 1] = o;
        }

        // Ranks ≥ Count read the exact maximum, as ValueAtPercentile does; the rest come from one ascending scan.
        int end = order.Length;
        while (end > 0 && ranks[order[end - 1]] >= _count)
        {
            values[order[--end]] = _max;
        }

        int next = 0;
        long cumulative = 0;
        for (int c = 0; c < ChunkCount && next < end; c++)
        {
            long[]? chunk = _chunks[c];
            if (chunk is null)
            {
                continue;
            }

            for (int i = 0; i < chunk.Length && next < end; i++)
            {
                cumulative += chunk[i];
                while (next < end && cumulative >= ranks[order[next]])
                {
                    values[order[next++]] = Math.Clamp(HighestEquivalentOf((c << ChunkShift) + i), _min, _max);
                }
            }
        }
    }

    /// <summary>
    /// The most frequent latency in bins of <paramref name="binWidthUs"/> µs (SPEC §3: 0.1 ms bins). Each
    /// bucket's count goes to the bin of its median equivalent value; ties go to the lower bin. Returns the
    /// winning bin's lower bound in µs; 0 when empty.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="binWidthUs"/> is not positive.</exception>
    public long Mode(long binWidthUs = 100)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(binWidthUs);
        if (_count == 0)
        {
            return 0;
        }

        // Buckets ascend, so their bins do too: one pass accumulates each bin and compares it once complete.
        long bestBin = 0;
        long bestCount = 0;
        long currentBin = -1;
        long currentCount = 0;
        foreach (HistogramBucket bucket in RecordedBuckets)
        {
            long bin = bucket.MedianEquivalent / binWidthUs;
            if (bin != currentBin)
            {
                if (currentCount > bestCount)
                {
                    bestBin = currentBin;
                    bestCount = currentCount;
                }

                currentBin = bin;
                currentCount = 0;
            }

            currentCount += bucket.Count;
        }

        if (currentCount > bestCount)
        {
            bestBin = currentBin;
        }

        return bestBin * binWidthUs;
    }

    /// <summary>Adds every value of <paramref name="other"/> to this histogram (exact merge).</summary>
    public void Add(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other._count == 0)
        {
            return;
        }

        for (int c = 0; c < ChunkCount; c++)
        {
            long[]? source = other._chunks[c];
            if (source is null)
            {
                continue;
            }

            long[] target = _chunks[c] ?? AllocateChunk(c);
            AddCounts(target, source);
        }

        _count += other._count;
        _sum += other._sum;
        _sumOfSquares += other._sumOfSquares;
        _saturated += other._saturated;
        _min = Math.Min(_min, other._min);
        _max = Math.Max(_max, other._max);
    }

    /// <summary>Empties the histogram. Allocated chunks are kept (zeroed) for reuse.</summary>
    public void Reset()
    {
        foreach (long[]? chunk in _chunks)
        {
            if (chunk is not null)
            {
                Array.Clear(chunk);
            }
        }

        _count = 0;
        _min = long.MaxValue;
        _max = 0;
        _sum = 0;
        _sumOfSquares = 0;
        _saturated = 0;
    }

    /// <summary>A deep copy.</summary>
    public LatencyHistogram Clone()
    {
        var copy = new LatencyHistogram();
        for (int c = 0; c < ChunkCount; c++)
        {
            if (_chunks[c] is { } chunk)
            {
                copy._chunks[c] = (long[])chunk.Clone();
            }
        }

        copy.CopyStatisticsFrom(this);
        return copy;
    }

    /// <summary>True when both hold the same bucket counts and identical side statistics.</summary>
    public bool ContentEquals(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (_count != other._count || Min != other.Min || _max != other._max || _sum != other._sum
            || _sumOfSquares != other._sumOfSquares || _saturated != other._saturated)
        {
            return false;
        }

        for (int c = 0; c < ChunkCount; c++)
        {
            ReadOnlySpan<long> mine = _chunks[c];
            ReadOnlySpan<long> theirs = other._chunks[c];
            bool equal = (mine.IsEmpty, theirs.IsEmpty) switch
            {
                (true, true) => true,
                (true, false) => theirs.IndexOfAnyExcept(0L) < 0,
                (false, true) => mine.IndexOfAnyExcept(0L) < 0,
                _ => mine.SequenceEqual(theirs),
            };
            if (!equal)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Flat index of a value in [0, <see cref="HighestTrackableValue"/>] (see the layout remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int IndexOf(long value)
    {
        int bucket = LeadingZeroCountBase - BitOperations.LeadingZeroCount((ulong)(value | SubBucketMask));
        return (bucket << HalfShift) + (int)(value >> bucket);
    }

    /// <summary>Smallest value that maps to <paramref name="index"/>.</summary>
    internal static long LowestEquivalentOf(int index)
    {
        int half = index >> HalfShift;
        if (half == 0)
        {
            return index;
        }

        // Run h ≥ 1 of 1024 indices is bucket b = h - 1, sub-buckets 1024..2047, each 2^b wide.
        return (long)(HalfCount + (index & HalfMask)) << (half - 1);
    }

    /// <summary>Largest value that maps to <paramref name="index"/>.</summary>
    internal static long HighestEquivalentOf(int index)
    {
        int half = index >> HalfShift;
        return half == 0 ? index : LowestEquivalentOf(index) + (1L << (half - 1)) - 1;
    }

    /// <summary>
    /// The first index ≥ <paramref name="start"/> with a non-zero count, or -1 when there is none.
    /// </summary>
    internal int NextNonZeroIndex(int start, out long count)
    {
        for (int c = start >> ChunkShift; c < ChunkCount; c++)
        {
            long[]? chunk = _chunks[c];
            if (chunk is null)
            {
                continue;
            }

            int from = c == start >> ChunkShift ? start & ChunkMask : 0;
            int offset = chunk.AsSpan(from).IndexOfAnyExcept(0L);
            if (offset >= 0)
            {
                int local = from + offset;
                count = chunk[local];
                return (c << ChunkShift) + local;
            }
        }

        count = 0;
        return -1;
    }

    /// <summary>Count at a flat index; 0 for an unallocated chunk.</summary>
    internal long CountAt(int index) =>
        _chunks[index >> ChunkShift] is { } chunk ? chunk[index & ChunkMask] : 0;

    /// <summary>Nearest rank for a validated percentile, in [1, count]. Decimal keeps 99.9 % of 1000 at 999.</summary>
    internal static long RankOf(double percentile, long count)
    {
        decimal rank = decimal.Ceiling((decimal)percentile * count / 100m);
        return rank < 1 ? 1 : rank > count ? count : (long)rank;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private long ClampOutOfRange(long value, long count)
    {
        if (value < 0)
        {
            return 0;
        }

        _saturated += count;
        return HighestTrackableValue;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private long[] AllocateChunk(int chunkIndex) => _chunks[chunkIndex] = new long[ChunkLength];

    private static void AddCounts(Span<long> target, ReadOnlySpan<long> source)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= source.Length - Vector<long>.Count; i += Vector<long>.Count)
            {
                (new Vector<long>(target[i..]) + new Vector<long>(source[i..])).CopyTo(target[i..]);
            }
        }

        for (; i < source.Length; i++)
        {
            target[i] += source[i];
        }
    }

    private void CopyStatisticsFrom(LatencyHistogram other)
    {
        _count = other._count;
        _min = other._min;
        _max = other._max;
        _sum = other._sum;
        _sumOfSquares = other._sumOfSquares;
        _saturated = other._saturated;
    }
}
