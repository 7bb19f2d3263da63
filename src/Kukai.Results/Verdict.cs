namespace Kukai.Results;

/// <summary>The outcome of a finished test (SPEC §4: <c>passed|failed|partial</c>).</summary>
public static class Verdict
{
    public const string Passed = "passed";
    public const string Failed = "failed";
    public const string Partial = "partial";

    /// <summary>
    /// failed when a threshold failed or the test failed (could not run to its end); partial when a driver was lost;
    /// else passed. A test stopped by the user is judged on what it measured.
    /// </summary>
    public static string Decide(bool thresholdsPassed, bool completed, int lostDrivers) =>
        !thresholdsPassed || !completed ? Failed : lostDrivers > 0 ? Partial : Passed;
}
