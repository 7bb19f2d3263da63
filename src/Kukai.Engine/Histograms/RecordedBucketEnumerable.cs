using System.Collections;

namespace Kukai.Engine.Histograms;

/// <summary>
/// The non-empty buckets of a <see cref="LatencyHistogram"/> in ascending value order. A struct with a struct
/// enumerator, so <c>foreach</c> allocates nothing. The histogram must not be modified while enumerating
/// (it is not thread-safe; the enumerator does not detect concurrent changes).
/// </summary>
public readonly struct RecordedBucketEnumerable : IEnumerable<HistogramBucket>
{
    private readonly LatencyHistogram _histogram;

    internal RecordedBucketEnumerable(LatencyHistogram histogram) => _histogram = histogram;

    public Enumerator GetEnumerator() => new(_histogram);

    IEnumerator<HistogramBucket> IEnumerable<HistogramBucket>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Walks the histogram's bucket indices, skipping unallocated chunks and zero counts.</summary>
    public struct Enumerator : IEnumerator<HistogramBucket>
    {
        private readonly LatencyHistogram _histogram;
        private int _index;
        private long _count;

        internal Enumerator(LatencyHistogram histogram)
        {
            _histogram = histogram;
            _index = -1;
            _count = 0;
        }

        public readonly HistogramBucket Current => new(
            LatencyHistogram.LowestEquivalentOf(_index),
            LatencyHistogram.HighestEquivalentOf(_index),
            _count);

        readonly object IEnumerator.Current => Current;

        public bool MoveNext()
        {
            int next = _histogram.NextNonZeroIndex(_index + 1, out _count);
            if (next < 0)
            {
                _index = LatencyHistogram.IndexCount;
                return false;
            }

            _index = next;
            return true;
        }

        public void Reset()
        {
            _index = -1;
            _count = 0;
        }

        public readonly void Dispose()
        {
        }
    }
}
