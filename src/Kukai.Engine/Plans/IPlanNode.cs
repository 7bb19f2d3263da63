namespace Kukai.Engine.Plans;

/// <summary>
/// A value of a plan document, independent of its syntax: TOML (<c>kukai run</c>) and JSON (the API) both adapt
/// to this, so one <see cref="PlanReader"/> binds and reports errors the same way for both.
/// </summary>
public interface IPlanNode
{
    PlanNodeKind Kind { get; }

    /// <summary>Where the value is, for messages: <c>file:line:col</c> for TOML; null where positions are unknown.</summary>
    string? Location { get; }

    /// <summary>The value as the user would recognise it in a message (strings quoted).</summary>
    string Display { get; }

    string? AsString { get; }

    /// <summary>Integers; null when not an integer.</summary>
    long? AsInteger { get; }

    /// <summary>Integers and floats as a double; null otherwise.</summary>
    double? AsNumber { get; }

    bool? AsBoolean { get; }

    /// <summary>Entries of a table, in document order, each with where its key was written.</summary>
    IEnumerable<PlanEntry> Entries { get; }

    /// <summary>Items of an array.</summary>
    IReadOnlyList<IPlanNode> Items { get; }
}
