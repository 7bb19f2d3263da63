namespace Kukai.Engine.Histograms;

/// <summary>
/// Unsigned LEB128 (7 bits per byte, least significant group first, high bit = more follows) and zig-zag
/// helpers for the histogram wire format. Readers reject truncated, overlong (trailing zero group) and
/// out-of-range encodings by returning false; they never throw.
/// </summary>
internal static class Varint
{
    public const int MaxLength64 = 10;
    public const int MaxLength128 = 19;

    public static int Length(UInt128 value)
    {
        int n = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            n++;
        }

        return n;
    }

    /// <summary>Writes <paramref name="value"/> at <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Write(Span<byte> destination, UInt128 value)
    {
        int n = 0;
        while (value >= 0x80)
        {
            destination[n++] = (byte)((byte)value | 0x80);
            value >>= 7;
        }

        destination[n++] = (byte)value;
        return n;
    }

    public static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    public static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    public static bool TryRead(ReadOnlySpan<byte> source, ref int position, out ulong value)
    {
        value = 0;
        if (!TryRead(source, ref position, MaxLength64, out UInt128 wide) || wide > ulong.MaxValue)
        {
            return false;
        }

        value = (ulong)wide;
        return true;
    }

    /// <summary>Reads a varint of at most <paramref name="maxLength"/> bytes (≤ 19) starting at position.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, ref int position, int maxLength, out UInt128 value)
    {
        value = 0;
        int shift = 0;
        for (int i = 0; i < maxLength; i++, shift += 7)
        {
            if (position >= source.Length)
            {
                return false;
            }

            byte b = source[position++];
            UInt128 group = (UInt128)(b & 0x7F);
            if (shift > 0 && group >> (128 - shift) != 0)
            {
                return false; // Bits beyond 128.
            }

            value |= group << shift;
            if ((b & 0x80) == 0)
            {
                return b != 0 || i == 0;
            }
        }

        return false;
    }
}
