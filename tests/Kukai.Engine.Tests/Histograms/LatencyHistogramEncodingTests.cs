using System.Buffers;
using Kukai.Engine.Histograms;

namespace Kukai.Engine.Tests.Histograms;

public class LatencyHistogramEncodingTests
{
    private const long Highest = LatencyHistogram.HighestTrackableValue;

    public static TheoryData<string, long[]> RoundTripCases => new()
    {
        { "empty", [] },
        { "one value", [1_234] },
        { "zero", [0] },
        { "max", [Highest] },
        { "saturated", [5, Highest + 1, long.MaxValue, 3_000_000] },
        { "negative", [-7, 9] },
        { "wide spread", [0, 1, 2_047, 2_048, 65_535, 1_000_000, 1_000_001, 999_999_999, Highest] },
    };

    [Theory]
    [MemberData(nameof(RoundTripCases))]
    public void ReadFrom_EncodedHistogram_EqualsOriginal(string name, long[] values)
    {
        LatencyHistogram original = LatencyHistogramTests.Build(values);

        byte[] bytes = original.ToByteArray();
        LatencyHistogram decoded = LatencyHistogram.ReadFrom(bytes);

        Assert.True(decoded.ContentEquals(original), name);
        Assert.Equal(original.StdDev, decoded.StdDev);
        Assert.Equal(bytes, decoded.ToByteArray());
    }

    [Fact]
    public void ReadFrom_MillionLogNormalSamples_EqualsOriginal()
    {
        LatencyHistogram original = LatencyHistogramTests.Build(LatencySamples.Generate("lognormal"));

        byte[] bytes = original.ToByteArray();
        LatencyHistogram decoded = LatencyHistogram.ReadFrom(bytes);

        Assert.True(decoded.ContentEquals(original));
        Assert.Equal(original.ValueAtPercentile(99.99), decoded.ValueAtPercentile(99.99));
        Assert.True(bytes.Length < 16 * 1024, $"{bytes.Length} bytes");
    }

    [Fact]
    public void WriteTo_BufferWriterWithExistingContent_AppendsSameBytesAsToByteArray()
    {
        LatencyHistogram histogram = LatencyHistogramTests.Build(LatencySamples.Generate("bimodal", 10_000));
        var writer = new ArrayBufferWriter<byte>(16);
        writer.Write<byte>([0xAA, 0xBB]);

        histogram.WriteTo(writer);

        Assert.Equal([0xAA, 0xBB, .. histogram.ToByteArray()], writer.WrittenSpan.ToArray());
        Assert.True(LatencyHistogram.ReadFrom(writer.WrittenSpan[2..]).ContentEquals(histogram));
    }

    [Fact]
    public void ToByteArray_Empty_IsTwoBytes()
    {
        Assert.Equal([LatencyHistogram.FormatVersion, 0], new LatencyHistogram().ToByteArray());
    }

    [Fact]
    public void ToByteArray_TypicalPerSecondDelta_UnderOneAndAHalfKilobytes()
    {
        // One driver's second: 1_000 responses, log-normal around 1 ms (σ 0.5): several hundred buckets,
        // about 1.2 bytes per non-zero bucket plus a ~30 byte header.
        LatencyHistogram delta = LatencyHistogramTests.Build(LogNormal(count: 1_000, medianUs: 1_000, sigma: 0.5));
        int buckets = delta.RecordedBuckets.Count();

        byte[] bytes = delta.ToByteArray();

        Assert.InRange(buckets, 300, 1_000);
        Assert.True(bytes.Length <= 1_536, $"{bytes.Length} bytes for {buckets} buckets");
        Assert.True(bytes.Length <= 40 + (2 * buckets), $"{bytes.Length} bytes for {buckets} buckets");
    }

    [Fact]
    public void ToByteArray_BusyPerSecondDelta_UnderTwoAndAHalfKilobytes()
    {
        // 50_000 responses in one second, tighter around 800 µs: dense exact buckets, ~1 byte each.
        LatencyHistogram delta = LatencyHistogramTests.Build(LogNormal(count: 50_000, medianUs: 800, sigma: 0.4));

        byte[] bytes = delta.ToByteArray();

        Assert.True(bytes.Length <= 2_560, $"{bytes.Length} bytes for {delta.RecordedBuckets.Count()} buckets");
    }

    [Fact]
    public void ReadFrom_VersionOnePayload_StillParses()
    {
        // Pinned bytes of format version 1 for {0, 1, 250, 5_000, 5_001, 3_600_000_001 (saturated)}.
        byte[] payload = Convert.FromHexString("0106010080C8CEB40D8C98CFB40DB697B0A0DCEACAEDB3010202EF0302CD2F04A1B70202");

        LatencyHistogram histogram = LatencyHistogram.ReadFrom(payload);

        Assert.True(histogram.ContentEquals(LatencyHistogramTests.Build([0, 1, 5_000, 5_001, Highest + 1, 250])));
        Assert.Equal(1, histogram.Saturated);
        Assert.Equal(
            [
                new HistogramBucket(0, 0, 1),
                new HistogramBucket(1, 1, 1),
                new HistogramBucket(250, 250, 1),
                new HistogramBucket(5_000, 5_003, 2),
                new HistogramBucket(3_598_712_832, 3_600_809_983, 1),
            ],
            histogram.RecordedBuckets.ToArray());
    }

    [Fact]
    public void TryReadFrom_CraftedValidMessage_Accepted()
    {
        // The baseline every malformed case below deviates from: {5, 7}.
        byte[] message = Craft(count: 2, saturated: 0, min: 5, range: 2, sum: 12, sumOfSquares: 74, 1, -1, 1);

        Assert.True(LatencyHistogram.TryReadFrom(message, out LatencyHistogram? histogram, out string? error), error);
        Assert.True(histogram.ContentEquals(LatencyHistogramTests.Build([5, 7])));
    }

    public static TheoryData<string, byte[]> MalformedMessages => new()
    {
        { "no data", [] },
        { "version 0", [0, 0] },
        { "version 2", [2, 0] },
        { "version 255", Craft(count: 2, saturated: 0, min: 5, range: 2, sum: 12, sumOfSquares: 74, 1, -1, 1) is var v ? [255, .. v[1..]] : [] },
        { "empty with trailing byte", [1, 0, 0] },
        { "count missing", [1] },
        { "count 2^63", [1, .. Leb128((UInt128)1 << 63)] },
        { "count varint of 11 bytes", [1, 0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00] },
        { "overlong varint", [1, 0x80, 0x00] },
        { "count beyond 64 bits", [1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F] },
        { "saturated above count", Craft(2, 3, 5, 2, 12, 74, 1, -1, 1) },
        { "saturated without max at the limit", Craft(2, 1, 5, 2, 12, 74, 1, -1, 1) },
        { "min out of range", Craft(1, 0, (ulong)Highest + 1, 0, (ulong)Highest + 1, (UInt128)(Highest + 1) * (ulong)(Highest + 1), 1) },
        { "max out of range", Craft(2, 0, 5, (ulong)Highest, 12, 74, 1, -1, 1) },
        { "sum too small", Craft(2, 0, 5, 2, 11, 74, 1, -1, 1) },
        { "sum too large", Craft(2, 0, 5, 2, 13, 74, 1, -1, 1) },
        { "sum beyond long", Craft(2, 0, 5, 2, (ulong)long.MaxValue + 1, 74, 1, -1, 1) },
        { "sum of squares inconsistent", Craft(2, 0, 5, 2, 12, 73, 1, -1, 1) },
        { "sum of squares huge", Craft(2, 0, 5, 2, 12, UInt128.MaxValue, 1, -1, 1) },
        { "sum of squares varint of 20 bytes", [1, 2, 0, 5, 2, 12, .. Enumerable.Repeat((byte)0x80, 19), 0x01, 2, 1, 2] },
        { "no bucket entries", Craft(2, 0, 5, 2, 12, 74) },
        { "bucket entries truncated", Craft(2, 0, 5, 2, 12, 74, 1, -1) },
        { "zero count entry", Craft(2, 0, 5, 2, 12, 74, 1, 0, 1) },
        { "first entry is a run", Craft(2, 0, 5, 2, 12, 74, -1, 1, 1) },
        { "run covers the last bucket", Craft(2, 0, 5, 2, 12, 74, 1, -2) },
        { "run beyond the index range", Craft(2, 0, 5, 2, 12, 74, 1, -30_000, 1) },
        { "run of long.MinValue", Craft(2, 0, 5, 2, 12, 74, 1, long.MinValue, 1) },
        { "two consecutive runs", Craft(3, 0, 5, 3, 21, 153, 1, -1, -1, 2) }, // {5, 8, 8}
        { "counts exceed total", Craft(2, 0, 5, 2, 12, 74, 1, -1, 2) },
        { "huge count", Craft(2, 0, 5, 2, 12, 74, long.MaxValue, -1, 1) },
        { "counts short of total", Craft(3, 0, 5, 2, 17, 99, 1, -1, 1) },
        { "trailing bytes", [.. Craft(2, 0, 5, 2, 12, 74, 1, -1, 1), 0] },
        { "saturated more than highest bucket", Craft(2, 2, 0, (ulong)Highest, (ulong)Highest, (UInt128)Highest * (ulong)Highest, 1, -(LatencyHistogram.IndexCount - 2), 1) },
    };

    [Theory]
    [MemberData(nameof(MalformedMessages))]
    public void TryReadFrom_MalformedMessage_ReturnsFalseWithError(string name, byte[] message)
    {
        bool ok = LatencyHistogram.TryReadFrom(message, out LatencyHistogram? histogram, out string? error);

        Assert.False(ok, name);
        Assert.Null(histogram);
        Assert.False(string.IsNullOrEmpty(error));
        Assert.Throws<FormatException>(() => LatencyHistogram.ReadFrom(message));
    }

    [Theory]
    [MemberData(nameof(MalformedMessages))]
    public void TryReadInto_MalformedMessage_LeavesTheHistogramEmpty(string name, byte[] message)
    {
        var into = new LatencyHistogram();

        bool ok = LatencyHistogram.TryReadInto(message, into, out string? error);

        Assert.False(ok, name);
        Assert.False(string.IsNullOrEmpty(error));
        Assert.True(into.ContentEquals(new LatencyHistogram()), name);
        Assert.True(LatencyHistogram.TryReadInto(LatencyHistogramTests.Build([3, 4_000]).ToByteArray(), into, out _), "usable again");
    }

    [Fact]
    public void TryReadInto_ValidMessage_EqualsTryReadFrom()
    {
        byte[] bytes = LatencyHistogramTests.Build(LatencySamples.Generate("bimodal", 10_000)).ToByteArray();
        var into = new LatencyHistogram();

        Assert.True(LatencyHistogram.TryReadInto(bytes, into, out _));

        Assert.True(into.ContentEquals(LatencyHistogram.ReadFrom(bytes)));
    }

    [Fact]
    public void TryReadInto_NonEmptyHistogram_Throws()
    {
        var into = LatencyHistogramTests.Build([7]);

        Assert.Throws<ArgumentException>(() => LatencyHistogram.TryReadInto(into.ToByteArray(), into, out _));
    }

    [Fact]
    public void TryReadFrom_EveryTruncation_ReturnsFalse()
    {
        byte[] bytes = LatencyHistogramTests.Build(LatencySamples.Generate("fullrange", 2_000)).ToByteArray();

        for (int length = 0; length < bytes.Length; length++)
        {
            Assert.False(LatencyHistogram.TryReadFrom(bytes.AsSpan(0, length), out _, out _), $"prefix of {length} bytes");
        }
    }

    [Fact]
    public void TryReadFrom_CorruptedBytes_RejectsOrDecodesCanonically()
    {
        byte[] valid = LatencyHistogramTests.Build(LatencySamples.Generate("bimodal", 5_000)).ToByteArray();
        var random = new Random(11);

        for (int trial = 0; trial < 5_000; trial++)
        {
            byte[] corrupted = (byte[])valid.Clone();
            int flips = 1 + random.Next(3);
            for (int f = 0; f < flips; f++)
            {
                corrupted[random.Next(corrupted.Length)] ^= (byte)(1 + random.Next(255));
            }

            AssertRejectedOrCanonical(corrupted);
        }
    }

    [Fact]
    public void TryReadFrom_RandomGarbage_RejectsOrDecodesCanonically()
    {
        var random = new Random(12);
        for (int trial = 0; trial < 20_000; trial++)
        {
            var garbage = new byte[random.Next(1, 64)];
            random.NextBytes(garbage);
            if (trial % 2 == 0)
            {
                garbage[0] = LatencyHistogram.FormatVersion; // Get past the version check half the time.
            }

            AssertRejectedOrCanonical(garbage);
        }
    }

    private static void AssertRejectedOrCanonical(byte[] data)
    {
        // Only FormatException may escape ReadFrom; anything accepted is a consistent histogram whose own
        // encoding is the same bytes (the format has exactly one encoding per histogram).
        if (LatencyHistogram.TryReadFrom(data, out LatencyHistogram? histogram, out string? error))
        {
            Assert.Equal(data, histogram.ToByteArray());
            Assert.True(LatencyHistogram.ReadFrom(data).ContentEquals(histogram));
        }
        else
        {
            Assert.NotNull(error);
            Assert.Throws<FormatException>(() => LatencyHistogram.ReadFrom(data));
        }
    }

    private static long[] LogNormal(int count, double medianUs, double sigma)
    {
        var random = new Random(3);
        var values = new long[count];
        for (int i = 0; i < count; i++)
        {
            double z = Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());
            values[i] = (long)Math.Round(medianUs * Math.Exp(sigma * z));
        }

        return values;
    }

    /// <summary>A version 1 message written field by field, independently of the product encoder.</summary>
    private static byte[] Craft(ulong count, ulong saturated, ulong min, ulong range, ulong sum, UInt128 sumOfSquares, params long[] entries)
    {
        var bytes = new List<byte> { 1 };
        bytes.AddRange(Leb128(count));
        bytes.AddRange(Leb128(saturated));
        bytes.AddRange(Leb128(min));
        bytes.AddRange(Leb128(range));
        bytes.AddRange(Leb128(sum));
        bytes.AddRange(Leb128(sumOfSquares));
        foreach (long entry in entries)
        {
            bytes.AddRange(Leb128((ulong)((entry << 1) ^ (entry >> 63))));
        }

        return [.. bytes];
    }

    private static byte[] Leb128(UInt128 value)
    {
        var bytes = new List<byte>();
        do
        {
            byte group = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value == 0 ? group : (byte)(group | 0x80));
        }
        while (value != 0);

        return [.. bytes];
    }
}
