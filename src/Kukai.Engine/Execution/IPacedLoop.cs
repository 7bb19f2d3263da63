namespace Kukai.Engine.Execution;

/// <summary>A paced run's driver: <see cref="PacedDispatcher"/>, or the native event loop's.</summary>
internal interface IPacedLoop
{
    /// <summary>Opens the first connections before the start (bounded in time).</summary>
    Task PrepareAsync(double firstRate);

    /// <summary>Runs until every scheduled request is answered or dropped. <paramref name="endTicks"/> 0 = no time bound.</summary>
    Task RunAsync(long startTicks, long endTicks);

    /// <summary>After the run: whether its schedule ended because the <c>requests</c> budget was spent (not its time).</summary>
    bool IssuedEveryRequest { get; }
}
