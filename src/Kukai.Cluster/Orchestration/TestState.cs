namespace Kukai.Cluster.Orchestration;

/// <summary>A test's life (SPEC §5): <c>starting → running → completed | failed | stopped</c>.</summary>
public enum TestState
{
    Starting,
    Running,
    Completed,
    Failed,
    Stopped,
}
