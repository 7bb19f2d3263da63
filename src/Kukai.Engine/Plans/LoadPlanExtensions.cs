namespace Kukai.Engine.Plans;

/// <summary>The values a run actually uses once defaults apply. The plan itself keeps what the user wrote.</summary>
public static class LoadPlanExtensions
{
    /// <summary>Avalanche: connections in flight; tsunami: bound on requests in flight or waiting.</summary>
    public static int EffectiveConcurrency(this LoadPlan plan) => plan.Concurrency
        ?? (plan.Type == TestType.Tsunami ? LoadPlan.DefaultTsunamiConcurrency : LoadPlan.DefaultAvalancheConcurrency);

    /// <summary>Tsunami: most connections per driver, never more than the in-flight bound.</summary>
    public static int EffectiveConnections(this LoadPlan plan) =>
        Math.Min(plan.Connections ?? LoadPlan.DefaultTsunamiConnections, plan.EffectiveConcurrency());

    /// <summary>The steady request rate per driver, if the plan paces requests (null: unlimited avalanche).</summary>
    public static double? BaseRate(this LoadPlan plan) => plan.Type == TestType.Tsunami
        ? plan.Rps ?? (plan.DelayMs is { } d ? 1000.0 / d : null)
        : plan.Rps;

    /// <summary>True when requests follow a schedule (tsunami, or an avalanche with an rps ceiling or rps stages).</summary>
    public static bool IsPaced(this LoadPlan plan) =>
        plan.Type == TestType.Tsunami || plan.Rps is not null || plan.Stages.Any(s => s.Rps is not null);

    /// <summary>Total of the stage durations, or null without stages.</summary>
    public static double? StagesDurationSeconds(this LoadPlan plan) =>
        plan.Stages.IsDefaultOrEmpty ? null : plan.Stages.Sum(s => s.DurationSeconds);

    /// <summary>When issuing stops: duration_seconds, else the end of the last stage, else none (requests bound).</summary>
    public static double? EffectiveDurationSeconds(this LoadPlan plan) => plan.DurationSeconds ?? plan.StagesDurationSeconds();
}
