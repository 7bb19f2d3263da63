namespace Kukai.Cluster.Orchestration;

/// <summary>The transitions of <see cref="TestState"/>, in one place.</summary>
public static class TestStates
{
    public static bool IsTerminal(this TestState state) => state is TestState.Completed or TestState.Failed or TestState.Stopped;

    /// <summary>Whether a test may move from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static bool CanMove(TestState from, TestState to) => (from, to) switch
    {
        (TestState.Starting, TestState.Running) => true,
        (TestState.Starting or TestState.Running, TestState.Completed or TestState.Failed or TestState.Stopped) => true,
        _ => false,
    };

    /// <summary>The wire name (lower case).</summary>
    public static string ToWireName(this TestState state) => state switch
    {
        TestState.Starting => "starting",
        TestState.Running => "running",
        TestState.Completed => "completed",
        TestState.Failed => "failed",
        _ => "stopped",
    };
}
