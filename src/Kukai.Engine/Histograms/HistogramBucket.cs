namespace Kukai.Engine.Histograms;

/// <summary>
/// One non-empty bucket of a <see cref="LatencyHistogram"/>: every value in
/// [<see cref="LowestEquivalent"/>, <see cref="HighestEquivalent"/>] (µs, inclusive) is counted here.
/// </summary>
/// <param name="LowestEquivalent">Smallest value (µs) that lands in this bucket.</param>
/// <param name="HighestEquivalent">Largest value (µs) that lands in this bucket.</param>
/// <param name="Count">Number of values recorded in this bucket (always &gt; 0 when enumerated).</param>
public readonly record struct HistogramBucket(long LowestEquivalent, long HighestEquivalent, long Count)
{
    /// <summary>The bucket's middle value (µs), HdrHistogram's "median equivalent": lowest + width / 2.</summary>
    public long MedianEquivalent => LowestEquivalent + ((HighestEquivalent - LowestEquivalent + 1) >> 1);
}
