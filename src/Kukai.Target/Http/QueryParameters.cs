namespace Kukai.Target.Http;

/// <summary>Reads parameters out of a raw query string (<c>""</c> or <c>"?a=1&amp;b=2"</c>) without allocating.</summary>
internal static class QueryParameters
{
    /// <summary>
    /// Finds the last occurrence of <paramref name="name"/> (ignoring case); its value is still
    /// percent-encoded (see <see cref="Decode"/>). A name without <c>=</c> has an empty value.
    /// </summary>
    public static bool TryGetLast(ReadOnlySpan<char> query, ReadOnlySpan<char> name, out ReadOnlySpan<char> rawValue)
    {
        if (query.StartsWith('?'))
        {
            query = query[1..];
        }

        var found = false;
        rawValue = default;
        while (!query.IsEmpty)
        {
            var end = query.IndexOf('&');
            var pair = end < 0 ? query : query[..end];
            query = end < 0 ? default : query[(end + 1)..];

            var equals = pair.IndexOf('=');
            var key = equals < 0 ? pair : pair[..equals];
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                rawValue = equals < 0 ? default : pair[(equals + 1)..];
                found = true;
            }
        }

        return found;
    }

    /// <summary>Percent-decodes a value (and <c>+</c> as space); returns it untouched when nothing is encoded.</summary>
    public static ReadOnlySpan<char> Decode(ReadOnlySpan<char> rawValue) =>
        rawValue.IndexOfAny('%', '+') < 0 ? rawValue : Uri.UnescapeDataString(rawValue.ToString().Replace('+', ' '));
}
