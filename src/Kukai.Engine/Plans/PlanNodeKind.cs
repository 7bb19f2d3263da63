namespace Kukai.Engine.Plans;

/// <summary>The shape of a value in a plan document (TOML or JSON).</summary>
public enum PlanNodeKind
{
    Table,
    Array,
    String,
    Integer,
    Float,
    Boolean,
    Null,
    Other,
}
