namespace Kukai.Engine.Tests.Protocols;

/// <summary>Bounds every wait in these tests, so a bug shows as a failure instead of a hung test run.</summary>
internal static class Deadlines
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(15);

    public static Task<T> Within<T>(this ValueTask<T> task) => task.AsTask().WaitAsync(Default);

    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(Default);

    public static Task Within(this Task task) => task.WaitAsync(Default);
}
