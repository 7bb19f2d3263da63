namespace Kukai.Engine.Execution;

/// <summary>
/// Keeps a load generator's memory flat during a run. The engine's hot paths allocate nothing, so the little garbage a
/// run makes (about 100 KB a second: interval snapshots, reports) piles up for minutes before the runtime's first
/// collection (its gen0 budget scales with the cache size, not with the heap) and the process's resident memory
/// climbs all that time. The run's reporter asks once a second; after <c>thresholdBytes</c> of allocation without a
/// collection it collects gen0, which finds almost nothing alive and pauses the process well under a millisecond.
/// Every <see cref="TrimEvery"/> calls it also gives the C heap's free pages back (<see cref="Native.NativeHeap"/>).
/// </summary>
public sealed class GarbagePacer(long thresholdBytes)
{
    /// <summary>The engine's default: a collection per mebibyte allocated.</summary>
    public const long DefaultThresholdBytes = 1 << 20;

    /// <summary>Calls between two trims of the C heap (ten seconds at one call a second).</summary>
    public const int TrimEvery = 10;

    private long _since = GC.GetTotalAllocatedBytes();
    private int _collections = GC.CollectionCount(0);
    private int _calls;

    /// <summary>Collects gen0 when the threshold was allocated since the last collection (anyone's); true if it did.</summary>
    public bool CollectIfDue()
    {
        if (++_calls % TrimEvery == 0)
        {
            Native.NativeHeap.Trim();
        }

        var allocated = GC.GetTotalAllocatedBytes();
        var collections = GC.CollectionCount(0);
        if (collections != _collections)
        {
            // The runtime collected on its own meanwhile: count from now.
            _collections = collections;
            _since = allocated;
            return false;
        }

        if (allocated - _since < thresholdBytes)
        {
            return false;
        }

        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        _collections = GC.CollectionCount(0);
        _since = GC.GetTotalAllocatedBytes();
        return true;
    }
}
