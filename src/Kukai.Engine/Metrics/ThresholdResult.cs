namespace Kukai.Engine.Metrics;

/// <summary>A threshold checked against the aggregate: its text, the measured value and whether it held.</summary>
public sealed record ThresholdResult(string Threshold, double Actual, bool Passed);
