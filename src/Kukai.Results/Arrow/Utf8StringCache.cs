using System.Text;

namespace Kukai.Results.Arrow;

/// <summary>
/// Decodes UTF-8 values to strings, reusing the string of a recently seen identical value, so reading a
/// column whose values repeat (driver ids, targets, error kinds) does not allocate a string per row.
/// Holds at most a fixed number of short values. Not thread-safe.
/// </summary>
internal sealed class Utf8StringCache(int capacity)
{
    private const int MaxCachedLength = 128;

    private readonly byte[][] _keys = new byte[capacity][];
    private readonly string[] _values = new string[capacity];
    private int _count;
    private int _last = -1;

    public string GetString(ReadOnlySpan<byte> utf8)
    {
        if (_last >= 0 && utf8.SequenceEqual(_keys[_last]))
        {
            return _values[_last];
        }

        if (utf8.Length > MaxCachedLength)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        for (int i = 0; i < _count; i++)
        {
            if (utf8.SequenceEqual(_keys[i]))
            {
                _last = i;
                return _values[i];
            }
        }

        string value = Encoding.UTF8.GetString(utf8);
        if (_count < _keys.Length)
        {
            _keys[_count] = utf8.ToArray();
            _values[_count] = value;
            _last = _count++;
        }

        return value;
    }
}
