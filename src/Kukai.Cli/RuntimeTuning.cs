namespace Kukai.Cli;

/// <summary>
/// Process-wide runtime settings for roles that generate load, applied before the first socket exists.
/// </summary>
/// <remarks>
/// <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c> runs socket continuations on the epoll thread instead of
/// hopping to the thread pool: one thread drives every connection, like wrk's event loop, at about two thirds of the
/// CPU per request (measured in <c>docs/BENCHMARKS.md</c>). The runtime reads it once, when the socket engine is first
/// used, so setting it here (before any socket) takes effect. The engine never blocks in completion paths except for
/// back-pressure from a full per-request record queue, which is meant to slow the load.
/// Set <c>KUKAI_INLINE_COMPLETIONS=0</c> to keep the runtime default.
/// </remarks>
public static class RuntimeTuning
{
    private const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static void ForLoadGeneration()
    {
        if (Environment.GetEnvironmentVariable("KUKAI_INLINE_COMPLETIONS") == "0" || Environment.GetEnvironmentVariable(InlineCompletions) is not null)
        {
            return;
        }

        Environment.SetEnvironmentVariable(InlineCompletions, "1");
    }
}
