namespace Kukai.Engine.Protocols;

/// <summary>
/// Finds a byte sequence in a stream that arrives in chunks, including an occurrence split across chunks: it keeps
/// the last <c>length - 1</c> bytes seen and checks them joined with the head of the next chunk. Allocation-free
/// after construction; not thread-safe.
/// </summary>
internal sealed class DelimiterScanner
{
    private readonly byte[] _delimiter;

    // [0.._carryLength) the tail of the stream so far (at most length - 1 bytes), followed by room for as many more.
    private readonly byte[] _carry;
    private int _carryLength;

    public DelimiterScanner(ReadOnlySpan<byte> delimiter)
    {
        if (delimiter.IsEmpty)
        {
            throw new ArgumentException("The delimiter must not be empty.", nameof(delimiter));
        }

        _delimiter = delimiter.ToArray();
        _carry = new byte[2 * (delimiter.Length - 1)];
    }

    /// <summary>Forgets the stream so far (a new reply starts).</summary>
    public void Reset() => _carryLength = 0;

    /// <summary>Adds the next chunk; true when the delimiter occurs in the stream so far.</summary>
    public bool Push(ReadOnlySpan<byte> chunk)
    {
        int keep = _delimiter.Length - 1;
        int head = Math.Min(keep, chunk.Length);
        chunk[..head].CopyTo(_carry.AsSpan(_carryLength));
        if ((_carryLength > 0 && _carry.AsSpan(0, _carryLength + head).IndexOf(_delimiter) >= 0) || chunk.IndexOf(_delimiter) >= 0)
        {
            return true;
        }

        if (chunk.Length >= keep)
        {
            chunk[^keep..].CopyTo(_carry);
            _carryLength = keep;
        }
        else
        {
            // The whole chunk is already in _carry after the old tail: keep the last `keep` bytes of both.
            int total = _carryLength + chunk.Length;
            int drop = Math.Max(0, total - keep);
            _carry.AsSpan(drop, total - drop).CopyTo(_carry);
            _carryLength = total - drop;
        }

        return false;
    }
}
