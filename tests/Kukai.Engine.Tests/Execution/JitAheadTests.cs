using System.Runtime;
using Kukai.Engine.Execution;
using Kukai.Engine.Execution.Native;
using Kukai.Engine.Tests.Testing;

namespace Kukai.Engine.Tests.Execution;

/// <summary>
/// Runs alone: it counts the methods the JIT compiles, and a test beside it could be first to take a code path (a
/// contended lock's slow path) that this thread then compiles between two counts.
/// </summary>
[Collection(nameof(ProcessWideCollection))]
public sealed class JitAheadTests
{
    [Fact]
    public void Prepare_TypeWithGenericAbstractAndNestedMembers_CompilesItsMethodsOnce()
    {
        JitAhead.Prepare(typeof(Warm)); // compiles JitAhead's own code first, so the counts below are the samples'
        var before = JitInfo.GetCompiledMethodCount(currentThread: true);

        JitAhead.Prepare(typeof(Sample), typeof(AbstractSample));
        var prepared = JitInfo.GetCompiledMethodCount(currentThread: true);
        JitAhead.Prepare(typeof(Sample), typeof(AbstractSample));

        // Sample: Add, its constructor, Inner.Twice, Inner's constructor; AbstractSample: One, its constructor.
        Assert.True(prepared - before >= 6, $"compiled {prepared - before} methods");
        Assert.Equal(prepared, JitInfo.GetCompiledMethodCount(currentThread: true));
    }

    [Fact]
    public void Prepare_NativeImports_StillCallable()
    {
        JitAhead.Prepare(typeof(Libc)); // its imports are bound ahead (Marshal.Prelink), not compiled

        Assert.Equal(-1, Libc.Close(-1));
        Assert.Equal(9, Libc.Errno); // EBADF
    }

    private static class Warm
    {
        public static int Zero() => 0;
    }

    private sealed class Sample
    {
        public int Add(int a, int b) => a + b;

        public T Echo<T>(T value) => value; // generic: left to its first call

        public sealed class Inner
        {
            public int Twice(int x) => x * 2;
        }
    }

    private abstract class AbstractSample
    {
        public abstract int Value();

        public int One() => 1;
    }
}
