namespace Kukai.Cluster.Messages;

/// <summary>What a driver is doing (SPEC §5 adds <c>lost</c>, which only the orchestrator decides).</summary>
public enum DriverState
{
    Idle,
    Running,
}
