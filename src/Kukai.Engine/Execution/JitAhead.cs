using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Kukai.Engine.Execution;

/// <summary>
/// Compiles a load loop's code before the run starts. The runtime compiles a method at its first call; for the event
/// loop's fully optimised methods that is tens of milliseconds of compiling on the loop's thread when the first
/// requests are due, and a paced run began some 20 ms late, every request of its first 100 ms late. Prepared ahead,
/// the first request leaves on time.
/// </summary>
/// <remarks>
/// Preparing compiles a tiered method's first, unoptimised tier; the runtime recompiles it some 100 ms into the run,
/// and until then the loop runs slowly enough to fall behind a high rate. So the methods the loop calls per request
/// (response parsing, recording, the schedule) are marked <see cref="MethodImplOptions.AggressiveOptimization"/>:
/// prepared here, they are final before the start.
/// </remarks>
internal static class JitAhead
{
    private const BindingFlags Declared =
        BindingFlags.DeclaredOnly | BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;

    private static readonly Lock Sync = new();
    private static readonly HashSet<Type> Prepared = [];

    /// <summary>
    /// Compiles every non-generic method and constructor declared by <paramref name="types"/> and their nested types
    /// (once per process); methods of generic types are left to their first call.
    /// </summary>
    public static void Prepare(params ReadOnlySpan<Type> types)
    {
        foreach (var type in types)
        {
            lock (Sync)
            {
                if (!Prepared.Add(type))
                {
                    continue;
                }
            }

            PrepareType(type);
        }
    }

    private static void PrepareType(Type type)
    {
        if (type.ContainsGenericParameters)
        {
            return;
        }

        foreach (var method in type.GetMethods(Declared))
        {
            if (method.IsAbstract || method.ContainsGenericParameters)
            {
                continue;
            }

            if ((method.Attributes & MethodAttributes.PinvokeImpl) != 0)
            {
                Marshal.Prelink(method); // binds the native function and builds the marshalling stub
            }
            else if (method.GetMethodBody() is not null)
            {
                RuntimeHelpers.PrepareMethod(method.MethodHandle);
            }
        }

        foreach (var constructor in type.GetConstructors(Declared))
        {
            if (!constructor.IsStatic && constructor.GetMethodBody() is not null)
            {
                RuntimeHelpers.PrepareMethod(constructor.MethodHandle);
            }
        }

        foreach (var nested in type.GetNestedTypes(Declared))
        {
            PrepareType(nested);
        }
    }
}
