using System.Buffers.Binary;
using System.Text;

namespace Kukai.Results.Arrow;

/// <summary>
/// Accumulates one UTF-8 column of a record batch: int32 offsets, data bytes and (when nullable) a validity
/// bitmap. Offsets and validity are sized for the batch up front; the data buffer grows to the largest batch
/// seen and is reused. With <c>cacheEncodings</c>, the UTF-8 bytes of up to <see cref="MaxCachedStrings"/>
/// short strings are kept, so values that repeat (driver ids, targets) are copied rather than re-encoded.
/// Not thread-safe.
/// </summary>
internal sealed class Utf8ColumnBuffer
{
    /// <summary>Default for the largest data buffer one batch may hold; the writer ends a batch early rather
    /// than exceed it.</summary>
    public const int DefaultMaxDataBytes = 256 * 1024 * 1024;

    private const int MaxCachedStrings = 1024;
    private const int MaxCachedLength = 256;

    private readonly byte[] _offsets;
    private readonly byte[]? _validity;
    private readonly Dictionary<string, byte[]>? _cache;
    private readonly int _maxDataBytes;
    private byte[] _data;
    private string? _lastString;
    private byte[]? _lastBytes;
    private long _cachedBytes;
    private int _count;
    private int _dataLength;
    private int _nullCount;

    public Utf8ColumnBuffer(int capacity, bool nullable, bool cacheEncodings, int initialDataBytes, int maxDataBytes = DefaultMaxDataBytes)
    {
        _maxDataBytes = maxDataBytes;
        _offsets = new byte[(capacity + 1) * 4];
        _validity = nullable ? new byte[(capacity + 7) / 8] : null;
        _cache = cacheEncodings ? new Dictionary<string, byte[]>(StringComparer.Ordinal) : null;
        _data = new byte[initialDataBytes];
    }

    /// <summary>Bytes held by the buffers and the encoding cache.</summary>
    public long CapacityBytes => _offsets.Length + _data.Length + (_validity?.Length ?? 0) + _cachedBytes;

    /// <summary>Throws when <paramref name="value"/> alone is larger than a batch's data buffer may be.</summary>
    public void CheckSize(string? value, string name)
    {
        if (value is not null && value.Length > _maxDataBytes / 3 && Encoding.UTF8.GetByteCount(value) > _maxDataBytes)
        {
            throw new ArgumentException($"The {name} is longer than {_maxDataBytes} UTF-8 bytes.", name);
        }
    }

    /// <summary>The largest data buffer one batch may hold.</summary>
    public int MaxDataBytes => _maxDataBytes;

    /// <summary>True when appending <paramref name="byteCount"/> UTF-8 bytes would push the data past the batch limit.</summary>
    public bool MightOverflow(long byteCount) => _dataLength + byteCount > _maxDataBytes;

    /// <summary>Appends a value given as UTF-8 bytes.</summary>
    public void AppendUtf8(ReadOnlySpan<byte> utf8)
    {
        EnsureData(utf8.Length);
        utf8.CopyTo(_data.AsSpan(_dataLength));
        _dataLength += utf8.Length;
        if (_validity is not null)
        {
            _validity[_count >> 3] |= (byte)(1 << (_count & 7));
        }

        EndValue();
    }

    /// <summary>True when appending <paramref name="value"/> might push the data past the batch limit.</summary>
    public bool MightOverflow(string? value) => value is not null && MightOverflow((long)value.Length * 3);

    public void Append(string value)
    {
        if (_cache is not null && Lookup(value) is { } cached)
        {
            AppendUtf8(cached);
            return;
        }

        // Encode straight into the data buffer; the worst case is 3 bytes per UTF-16 unit.
        int room = _data.Length - _dataLength;
        if ((long)value.Length * 3 > room)
        {
            EnsureData(Encoding.UTF8.GetByteCount(value));
        }

        _dataLength += Encoding.UTF8.GetBytes(value, _data.AsSpan(_dataLength));

        if (_validity is not null)
        {
            _validity[_count >> 3] |= (byte)(1 << (_count & 7));
        }

        EndValue();
    }

    public void AppendNull()
    {
        if (_validity is null)
        {
            throw new InvalidOperationException("The column is not nullable.");
        }

        _nullCount++;
        EndValue();
    }

    /// <summary>The column's buffers for the current batch; valid until <see cref="Reset"/>.</summary>
    public ArrowColumnData ToColumnData() => new(
        _data.AsMemory(0, _dataLength),
        _offsets.AsMemory(0, (_count + 1) * 4),
        _validity is null ? default : _validity.AsMemory(0, (_count + 7) / 8),
        _nullCount);

    public void Reset()
    {
        if (_validity is not null)
        {
            Array.Clear(_validity, 0, (_count + 7) / 8);
        }

        _count = 0;
        _dataLength = 0;
        _nullCount = 0;
    }

    private void EndValue()
    {
        _count++;
        BinaryPrimitives.WriteInt32LittleEndian(_offsets.AsSpan(_count * 4), _dataLength);
    }

    private byte[]? Lookup(string value)
    {
        if (ReferenceEquals(value, _lastString))
        {
            return _lastBytes;
        }

        if (!_cache!.TryGetValue(value, out var bytes))
        {
            if (_cache.Count >= MaxCachedStrings || value.Length > MaxCachedLength)
            {
                return null;
            }

            bytes = Encoding.UTF8.GetBytes(value);
            _cache.Add(value, bytes);
            _cachedBytes += bytes.Length;
        }

        _lastString = value;
        _lastBytes = bytes;
        return bytes;
    }

    private void EnsureData(int additional)
    {
        long needed = (long)_dataLength + additional;
        if (needed <= _data.Length)
        {
            return;
        }

        long grown = Math.Max(needed, Math.Min((long)_data.Length * 2, Array.MaxLength));
        Array.Resize(ref _data, (int)grown);
    }
}
