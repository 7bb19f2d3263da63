namespace Kukai.Cluster.Orchestration;

/// <summary>What <see cref="OrchestratorRuntime.StartTestAsync"/> did: created the test, or why not (a conflict).</summary>
public sealed record StartTestOutcome(TestView? Test, string? Conflict)
{
    public static StartTestOutcome Created(TestView test) => new(test, null);

    public static StartTestOutcome Refused(string why) => new(null, why);
}
