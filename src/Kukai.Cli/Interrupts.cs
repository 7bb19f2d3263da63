namespace Kukai.Cli;

/// <summary>
/// What a second Ctrl+C (or SIGTERM) does. The first asks the command to stop cleanly (its cancellation token); a
/// command with something to give up before it can finish registers it here (<c>kukai run</c>: the requests in
/// flight), and the second interrupt does that instead of exiting; the next one exits at once.
/// </summary>
internal static class Interrupts
{
    private static Action? s_abandon;

    /// <summary>Registers what a second interrupt abandons, until the returned object is disposed.</summary>
    public static IDisposable OnSecond(Action abandon)
    {
        Volatile.Write(ref s_abandon, abandon);
        return new Registration(abandon);
    }

    /// <summary>Runs (once) what was registered; false when nothing was.</summary>
    public static bool TryAbandon()
    {
        var abandon = Interlocked.Exchange(ref s_abandon, null);
        abandon?.Invoke();
        return abandon is not null;
    }

    private sealed class Registration(Action abandon) : IDisposable
    {
        public void Dispose() => Interlocked.CompareExchange(ref s_abandon, null, abandon);
    }
}
