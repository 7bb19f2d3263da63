namespace Kukai.Engine.Plans;

/// <summary>A key of a plan table with its value and where the key was written (for "unknown key" messages).</summary>
public sealed record PlanEntry(string Key, IPlanNode Value, string? KeyLocation);
