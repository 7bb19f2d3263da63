namespace Kukai.Orchestrator.Tests.Testing;

/// <summary>Polls a condition until it holds or a deadline passes (a wait on a condition, never a fixed sleep).</summary>
public static class Eventually
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan timeout) =>
        TrueAsync(() => Task.FromResult(condition()), what, timeout);

    /// <summary>Throws <see cref="TimeoutException"/> naming <paramref name="what"/> when the deadline passes.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not within {timeout.TotalSeconds:0.#} s: {what}");
            }

            await Task.Delay(Poll);
        }
    }
}
