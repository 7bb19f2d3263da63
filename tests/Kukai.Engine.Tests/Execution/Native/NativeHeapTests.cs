using System.Runtime.InteropServices;
using Kukai.Engine.Execution.Native;

namespace Kukai.Engine.Tests.Execution.Native;

public sealed class NativeHeapTests
{
    [Fact]
    public void Trim_AfterNativeBlocksWereFreed_GivesPagesBackOnGlibc()
    {
        var blocks = Enumerable.Range(0, 256).Select(_ => Marshal.AllocHGlobal(32 * 1024)).ToList();
        blocks.ForEach(Marshal.FreeHGlobal);

        var trimmed = NativeHeap.Trim();

        Assert.Equal(OperatingSystem.IsLinux(), trimmed); // this machine's Linux is glibc: the call is found and made
    }
}
