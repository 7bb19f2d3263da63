using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace Kukai.Engine.Histograms;

// Wire format, version 1. "uvar" is an unsigned LEB128 varint (see Varint), "zvar" a zig-zag LEB128 varint.
//
//   byte  version            = 1 (also fixes the layout: unit 1 µs, 3 digits, max 3.6e9 µs)
//   uvar  Count
//   ----- the message ends here when Count = 0 (an empty histogram is 2 bytes) -----
//   uvar  Saturated          ≤ Count, and > 0 only when Max = HighestTrackableValue
//   uvar  Min                ≤ HighestTrackableValue
//   uvar  Max - Min          Max ≤ HighestTrackableValue
//   uvar  Sum                in [Max + (Count-1)·Min, Min + (Count-1)·Max]
//   uvar  SumOfSquares       128-bit, in [Min·Sum, Max·Sum] and ≥ ⌊Sum²/Count⌋
//                            (Sum and SumOfSquares must also lie within the bounds the buckets imply)
//   zvar… counts of the flat indices IndexOf(Min) .. IndexOf(Max), in order, in the style of HdrHistogram's
//         V2 encoding: a positive n is the count of the next index, a negative -k skips k empty indices.
//         The first and the last entries are counts (those buckets hold Min and Max), two zero runs never
//         follow each other, the counts add up to Count, and the message ends right after the last entry.
//
// Every field is implied or bounded by the ones before it, so a decoder validates as it reads and never
// allocates more than the chunks of a full histogram. A per-second delta with a few hundred non-zero
// buckets of small counts takes one or two bytes per bucket plus ~30 bytes of header. The decoder takes exactly
// one message (trailing bytes are an error): framing belongs to the transport.
public sealed partial class LatencyHistogram
{
    /// <summary>Version byte of the binary form written by <see cref="WriteTo"/>.</summary>
    public const byte FormatVersion = 1;

    /// <summary>Appends the compact binary form (format above) to <paramref name="writer"/>.</summary>
    public void WriteTo(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        int length = Encode(Span<byte>.Empty);
        Encode(writer.GetSpan(length));
        writer.Advance(length);
    }

    /// <summary>The compact binary form as a new array.</summary>
    public byte[] ToByteArray()
    {
        var bytes = new byte[Encode(Span<byte>.Empty)];
        Encode(bytes);
        return bytes;
    }

    /// <summary>Decodes the binary form.</summary>
    /// <exception cref="FormatException">The data is malformed, truncated or out of range.</exception>
    public static LatencyHistogram ReadFrom(ReadOnlySpan<byte> data) =>
        TryReadFrom(data, out LatencyHistogram? histogram, out string? error)
            ? histogram
            : throw new FormatException("Invalid latency histogram: " + error);

    /// <summary>
    /// Decodes the binary form of untrusted input. Returns false with a reason on any malformed, truncated,
    /// inconsistent or out-of-range data; never throws for bad data.
    /// </summary>
    public static bool TryReadFrom(
        ReadOnlySpan<byte> data,
        [NotNullWhen(true)] out LatencyHistogram? histogram,
        [NotNullWhen(false)] out string? error)
    {
        var decoded = new LatencyHistogram();
        if (!TryReadInto(data, decoded, out error))
        {
            histogram = null;
            return false;
        }

        histogram = decoded;
        return true;
    }

    /// <summary>
    /// Decodes untrusted input into <paramref name="empty"/>, an empty histogram (one the caller owns, so
    /// decoding allocates no histogram of its own). On failure it is left empty and the reason returned.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="empty"/> is not empty.</exception>
    public static bool TryReadInto(ReadOnlySpan<byte> data, LatencyHistogram empty, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(empty);
        if (!empty.IsEmpty || empty._saturated != 0)
        {
            throw new ArgumentException("the histogram to decode into must be empty", nameof(empty));
        }

        error = Decode(data, empty);
        if (error is not null)
        {
            empty.Reset();
            return false;
        }

        return true;
    }

    /// <summary>Writes the encoding into <paramref name="destination"/>, or only measures it when empty.</summary>
    private int Encode(Span<byte> destination)
    {
        if (!destination.IsEmpty)
        {
            destination[0] = FormatVersion;
        }

        int position = 1;

        Put(destination, ref position, (ulong)_count);
        if (_count == 0)
        {
            return position;
        }

        Put(destination, ref position, (ulong)_saturated);
        Put(destination, ref position, (ulong)_min);
        Put(destination, ref position, (ulong)(_max - _min));
        Put(destination, ref position, (ulong)_sum);
        Put(destination, ref position, _sumOfSquares);

        int last = IndexOf(_max);
        int index = IndexOf(_min);
        while (index <= last)
        {
            long count = CountAt(index);
            if (count != 0)
            {
                Put(destination, ref position, Varint.ZigZag(count));
                index++;
                continue;
            }

            // A zero inside [IndexOf(Min), IndexOf(Max)] always ends before the last index, which holds Max.
            int next = NextNonZeroIndex(index, out _);
            Put(destination, ref position, Varint.ZigZag(index - next));
            index = next;
        }

        return position;
    }

    private static void Put(Span<byte> destination, ref int position, UInt128 value) =>
        position += destination.IsEmpty ? Varint.Length(value) : Varint.Write(destination[position..], value);

    /// <summary>Decodes and validates; returns null on success or the reason for rejecting the data.</summary>
    private static string? Decode(ReadOnlySpan<byte> data, LatencyHistogram result)
    {
        int position = 0;
        if (data.IsEmpty)
        {
            return "no data";
        }

        byte version = data[position++];
        if (version != FormatVersion)
        {
            return $"unsupported format version {version} (expected {FormatVersion})";
        }

        if (!Varint.TryRead(data, ref position, out ulong count) || count > long.MaxValue)
        {
            return "count is truncated, not a canonical varint, or above 2^63 - 1";
        }

        if (count == 0)
        {
            if (position != data.Length)
            {
                return "trailing bytes after an empty histogram";
            }

            return null;
        }

        if (!Varint.TryRead(data, ref position, out ulong saturated) || saturated > count)
        {
            return $"saturated count is truncated, malformed or above count {count}";
        }

        if (!Varint.TryRead(data, ref position, out ulong min) || min > HighestTrackableValue)
        {
            return $"min is truncated, malformed or above {HighestTrackableValue} µs";
        }

        if (!Varint.TryRead(data, ref position, out ulong range) || range > HighestTrackableValue - min)
        {
            return $"max - min is truncated, malformed or above {HighestTrackableValue - min} (max ≤ {HighestTrackableValue} µs)";
        }

        ulong max = min + range;
        if (saturated > 0 && max != HighestTrackableValue)
        {
            return $"{saturated} saturated values but max {max} is not {HighestTrackableValue} µs";
        }

        if (!Varint.TryRead(data, ref position, out ulong sum)
            || sum > long.MaxValue
            || sum < max + (UInt128)(count - 1) * min
            || sum > min + (UInt128)(count - 1) * max)
        {
            return $"sum is truncated, malformed or outside [max + (count - 1)·min, min + (count - 1)·max] for count {count}, min {min}, max {max}";
        }

        ulong q = sum / count;
        ulong r = sum % count;
        if (!Varint.TryRead(data, ref position, Varint.MaxLength128, out UInt128 sumOfSquares)
            || sumOfSquares < (UInt128)min * sum
            || sumOfSquares > (UInt128)max * sum
            || sumOfSquares < (UInt128)q * q * count + (UInt128)q * r * 2)
        {
            return $"sum of squares is truncated, malformed or inconsistent with count {count}, min {min}, max {max}, sum {sum}";
        }

        result._count = (long)count;
        result._saturated = (long)saturated;
        result._min = (long)min;
        result._max = (long)max;
        result._sum = (long)sum;
        result._sumOfSquares = sumOfSquares;

        int first = IndexOf((long)min);
        int last = IndexOf((long)max);
        int index = first;
        ulong total = 0;
        bool previousWasRun = false;

        // Bounds of Sum and SumOfSquares implied by the buckets (each clamped to [Min, Max]); exact below
        // 2048 µs. At most 2^63 values of at most 2^32 µs: the sums of squares stay below 2^127.
        UInt128 lowestSum = 0;
        UInt128 highestSum = 0;
        UInt128 lowestSumOfSquares = 0;
        UInt128 highestSumOfSquares = 0;
        while (index <= last)
        {
            if (!Varint.TryRead(data, ref position, out ulong raw))
            {
                return $"truncated or bad bucket entry at index {index}";
            }

            long entry = Varint.UnZigZag(raw);
            if (entry > 0)
            {
                if ((ulong)entry > count - total)
                {
                    return $"bucket counts at index {index} exceed count {count}";
                }

                total += (ulong)entry;
                ulong lowest = Math.Max((ulong)LowestEquivalentOf(index), min);
                ulong highest = Math.Min((ulong)HighestEquivalentOf(index), max);
                lowestSum += Multiply(lowest, (ulong)entry);
                highestSum += Multiply(highest, (ulong)entry);
                lowestSumOfSquares += Multiply(lowest * lowest, (ulong)entry); // ≤ 3.6e9² < 2^64
                highestSumOfSquares += Multiply(highest * highest, (ulong)entry);
                long[] chunk = result._chunks[index >> ChunkShift] ?? result.AllocateChunk(index >> ChunkShift);
                chunk[index & ChunkMask] = entry;
                index++;
                previousWasRun = false;
            }
            else if (entry == 0)
            {
                return $"zero count at index {index}";
            }
            else
            {
                // -entry can overflow only for long.MinValue, which is far beyond any valid run anyway.
                if (index == first || previousWasRun || entry < index - last)
                {
                    return $"run of {(ulong)-(entry + 1) + 1} empty buckets at index {index} is first, follows another run, or reaches past index {last - 1}";
                }

                index -= (int)entry;
                previousWasRun = true;
            }
        }

        if (position != data.Length)
        {
            return "trailing bytes after the last bucket";
        }

        if (total != count)
        {
            return $"bucket counts add up to {total}, not count {count}";
        }

        if (saturated > (ulong)result.CountAt(last))
        {
            return $"{saturated} saturated values but only {result.CountAt(last)} in the highest bucket";
        }

        if (sum < lowestSum || sum > highestSum)
        {
            return $"sum {sum} is outside [{lowestSum}, {highestSum}] implied by the buckets";
        }

        if (sumOfSquares < lowestSumOfSquares || sumOfSquares > highestSumOfSquares)
        {
            return $"sum of squares {sumOfSquares} is outside [{lowestSumOfSquares}, {highestSumOfSquares}] implied by the buckets";
        }

        return null;
    }

    // 64 × 64 → 128 bits, without UInt128's general 128 × 128 multiplication (a few per bucket when decoding).
    private static UInt128 Multiply(ulong a, ulong b)
    {
        ulong high = Math.BigMul(a, b, out ulong low);
        return new UInt128(high, low);
    }
}
