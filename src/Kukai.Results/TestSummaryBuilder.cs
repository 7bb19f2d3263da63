using Kukai.Engine.Metrics;
using Kukai.Engine.Plans;

namespace Kukai.Results;

/// <summary>Builds a test's <see cref="TestSummary"/> from its metrics store: stats, thresholds, verdict.</summary>
public static class TestSummaryBuilder
{
    /// <summary>State names of a finished test.</summary>
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Stopped = "stopped";

    public static TestSummary Build(
        string testId,
        LoadPlan plan,
        string state,
        DateTimeOffset startedAt,
        DateTimeOffset endedAt,
        IReadOnlyList<string> drivers,
        IReadOnlyDictionary<string, DateTimeOffset> lostAt,
        TestMetricsStore store,
        string? reason = null,
        long? recordedRequests = null,
        string? version = null)
    {
        // A test that ended before its scheduled start (stopped, or failed, while starting) started when it ended.
        if (endedAt < startedAt)
        {
            startedAt = endedAt;
        }

        var duration = (endedAt - startedAt).TotalSeconds;
        var stats = store.Stats(duration);
        var thresholds = ThresholdEvaluator.Evaluate(plan.Thresholds, store.AggregateCounters(), duration);
        var saturated = store.Timeseries()
            .Where(r => r.Health?.Saturated == true)
            .Select(r => new SaturatedSecond(r.Second, r.DriverId, r.Health!.ProcessCpuPercent, r.Health.MachineCpuPercent))
            .ToList();
        var lost = lostAt.Keys.Order(StringComparer.Ordinal).ToList();
        return new TestSummary
        {
            TestId = testId,
            Plan = PlanRedaction.Redact(plan),
            State = state,
            StartedAt = startedAt,
            EndedAt = endedAt,
            DurationSeconds = Math.Round(duration, 3),
            Drivers = drivers,
            Verdict = Verdict.Decide(thresholds.All(t => t.Passed), state != Failed, lost.Count),
            LostDrivers = lost,
            LostAt = lost.Count == 0 ? null : lostAt,
            Reason = reason,
            Thresholds = thresholds,
            Aggregate = stats.Aggregate,
            PerDriver = stats.PerDriver,
            PerTarget = stats.PerTarget,
            Timeline = store.Seconds(),
            SaturatedSeconds = saturated,
            RecordedRequests = recordedRequests,
            KukaiVersion = version,
        };
    }
}
