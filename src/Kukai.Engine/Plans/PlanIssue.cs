namespace Kukai.Engine.Plans;

/// <summary>
/// One problem found reading or validating a plan document: the field as the document spells it
/// (e.g. <c>load.targets[1].weight</c> or <c>targets[1].weight</c>), where it is (TOML <c>file:line:col</c>), and a
/// message that names the value and the rule.
/// </summary>
public sealed record PlanIssue(string Field, string? Location, string Message)
{
    /// <summary>One line: <c>file:line:col: field: message</c>.</summary>
    public override string ToString() => Location is null ? $"{Field}: {Message}" : $"{Location}: {Field}: {Message}";
}
