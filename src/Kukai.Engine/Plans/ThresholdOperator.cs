namespace Kukai.Engine.Plans;

/// <summary>Comparison of a threshold; the threshold passes when <c>metric op value</c> holds.</summary>
public enum ThresholdOperator
{
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Equal,
    NotEqual,
}
