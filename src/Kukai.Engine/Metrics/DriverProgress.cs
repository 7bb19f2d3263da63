namespace Kukai.Engine.Metrics;

/// <summary>A driver's requests sent and completed so far in a test (cumulative).</summary>
public readonly record struct DriverProgress(long Sent, long Completed);
