using Kukai.Engine.Execution;

namespace Kukai.Engine.Tests.Execution;

// Counts and collections are process-wide: these tests only assert what other threads' allocations cannot undo.
[Collection(nameof(GarbagePacerTests))]
public sealed class GarbagePacerTests
{
    [Fact]
    public void CollectIfDue_ThresholdAllocated_CollectsGen0()
    {
        var pacer = new GarbagePacer(thresholdBytes: 64 * 1024);
        var before = GC.CollectionCount(0);
        Allocate(256 * 1024);

        var collected = pacer.CollectIfDue();
        if (!collected)
        {
            // The runtime collected on its own in between, which restarts the count: once more.
            Allocate(256 * 1024);
            collected = pacer.CollectIfDue();
        }

        Assert.True(collected);
        Assert.True(GC.CollectionCount(0) > before);
    }

    [Fact]
    public void CollectIfDue_LessThanThreshold_DoesNotCollect()
    {
        var pacer = new GarbagePacer(thresholdBytes: long.MaxValue);
        Allocate(256 * 1024);

        Assert.False(pacer.CollectIfDue());
    }

    private static void Allocate(int bytes)
    {
        for (var i = 0; i < bytes / 1024; i++)
        {
            GC.KeepAlive(new byte[1000]);
        }
    }
}
