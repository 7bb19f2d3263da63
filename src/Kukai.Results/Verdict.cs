namespace Kukai.Results;

/// <summary>The outcome of a finished test (SPEC §4: <c>passed|failed|partial</c>).</summary>
public static class Verdict
{
    public const string Passed = "passed";
    public const string Failed = "failed";
    public const string Partial = "partial";

    /// <summary>failed when a threshold failed or the test did not complete; partial when a driver was lost; else passed.</summary>
    public static string Decide(bool thresholdsPassed, bool completed, int lostDrivers) =>
        !thresholdsPassed || !completed ? Failed : lostDrivers > 0 ? Partial : Passed;
}
