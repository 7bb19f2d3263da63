namespace Kukai.Engine.Plans;

/// <summary>
/// One problem with a plan: the field (snake_case path, e.g. <c>targets[1].weight</c>), the offending value as the
/// user wrote it, and the rule it breaks. Readers of TOML and JSON map the path to their own spelling and location.
/// </summary>
public sealed record PlanError(string Field, string? Value, string Message)
{
    public override string ToString() => Value is null ? $"{Field}: {Message}" : $"{Field}: {Value} {Message}";
}
