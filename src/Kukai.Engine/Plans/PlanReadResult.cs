namespace Kukai.Engine.Plans;

/// <summary>The plan read from a document, or every problem found (then <see cref="Plan"/> is null).</summary>
public sealed record PlanReadResult(LoadPlan? Plan, IReadOnlyList<PlanIssue> Issues)
{
    public bool IsValid => Plan is not null && Issues.Count == 0;
}
