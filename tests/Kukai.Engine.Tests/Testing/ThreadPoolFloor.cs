using System.Runtime.CompilerServices;

namespace Kukai.Engine.Tests.Testing;

/// <summary>
/// Raises the thread pool's minimum for this test process. The test host keeps pool threads blocked (its message loop
/// polls a socket, its runner waits on the tests), and on a two-core machine that is the whole minimum: timers, such
/// as the managed lanes' 10 ms timeout watchdog, then waited up to 0.8 s for the pool to grow, and a 300 ms timeout
/// fired at 0.9 s. A <c>kukai</c> process blocks no pool thread; this gives the tests the same responsive pool.
/// </summary>
internal static class ThreadPoolFloor
{
    [ModuleInitializer]
    internal static void Raise()
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, 16), completionPorts);
    }
}
