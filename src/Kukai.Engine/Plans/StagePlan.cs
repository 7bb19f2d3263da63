namespace Kukai.Engine.Plans;

/// <summary>
/// One step of a ramp: over <see cref="DurationSeconds"/> the rate (or concurrency) moves linearly from the
/// previous stage's value to this one's. Exactly one of <see cref="Rps"/> and <see cref="Concurrency"/> is set.
/// </summary>
public sealed record StagePlan
{
    public double DurationSeconds { get; init; }

    public double? Rps { get; init; }

    public int? Concurrency { get; init; }
}
