namespace Kukai.Engine.Metrics;

/// <summary>
/// One second of the whole test, across drivers (histograms merged): what the dashboard plots.
/// <see cref="LateConnectionsBusy"/> is null in timelines written before it was counted.
/// </summary>
public sealed record SecondSummary(
    long Second,
    long Sent,
    long Completed,
    long Errors,
    double Rps,
    double P50Ms,
    double P90Ms,
    double P99Ms,
    double MaxMs,
    long Late,
    long? LateConnectionsBusy,
    long Dropped,
    int SaturatedDrivers);
