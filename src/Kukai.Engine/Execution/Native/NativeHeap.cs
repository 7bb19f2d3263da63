using System.Runtime.InteropServices;

namespace Kukai.Engine.Execution.Native;

/// <summary>
/// The C library's heap, where the runtime itself allocates (the JIT's working memory among others). glibc keeps what
/// threads free in per-thread arenas, and runtime threads come and go (the tiered compiler's worker exits after a few
/// idle seconds), so a long run's resident memory climbs as arena after arena holds freed pages. <see cref="Trim"/>
/// gives those pages back.
/// </summary>
internal static partial class NativeHeap
{
    private static bool _unavailable = !OperatingSystem.IsLinux();

    /// <summary>Returns free heap pages to the system (glibc's <c>malloc_trim</c>); false where there is no such call.</summary>
    public static bool Trim()
    {
        if (_unavailable)
        {
            return false;
        }

        try
        {
            _ = MallocTrim(0);
            return true;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            _unavailable = true; // not glibc (musl has no malloc_trim)
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
