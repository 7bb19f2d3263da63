namespace Kukai.Cluster.Driver;

/// <summary>FNV-1a over UTF-16 code units: a hash that is the same in every process (string.GetHashCode is not).</summary>
internal static class StableHash
{
    public static ulong Of(string s)
    {
        var h = 14695981039346656037UL;
        foreach (var c in s)
        {
            h = (h ^ c) * 1099511628211UL;
        }

        return h;
    }
}
