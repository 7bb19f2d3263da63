namespace Kukai.Engine.Tests.Testing;

/// <summary>Bounds every wait in the engine tests, so a hang shows as a failure instead of a stuck test run.</summary>
internal static class Deadline
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(20);

    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(Default);

    public static Task Within(this Task task) => task.WaitAsync(Default);

    /// <summary>
    /// Waits until <paramref name="condition"/> holds, re-checking every millisecond, and fails after the deadline.
    /// For state that has no signal of its own (counters of the code under test); never a substitute for a signal.
    /// </summary>
    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? deadline = null) =>
        UntilAsync(condition, () => what, deadline);

    /// <inheritdoc cref="UntilAsync(Func{bool}, string, TimeSpan?)"/>
    public static async Task UntilAsync(Func<bool> condition, Func<string> what, TimeSpan? deadline = null)
    {
        var end = DateTime.UtcNow + (deadline ?? Default);
        while (!condition())
        {
            if (DateTime.UtcNow > end)
            {
                Assert.Fail($"timed out waiting until {what()}");
            }

            await Task.Delay(1);
        }
    }
}
