using Kukai.Engine.Histograms;

namespace Kukai.Engine.Metrics;

/// <summary>The latency and service-time histograms of one scope: the aggregate, a driver or a target.</summary>
public sealed record ScopeHistograms(LatencyHistogram Latency, LatencyHistogram ServiceTime)
{
    public static ScopeHistograms Of(TargetCounters c) => new(c.Latency.Clone(), c.ServiceTime.Clone());
}

/// <summary>
/// Every scope's histograms of a test, kept with its results (<c>histograms.json</c>) so that any percentile of a
/// finished test can still be asked for, after the orchestrator let go of its counters or restarted.
/// </summary>
public sealed record TestHistograms(
    ScopeHistograms Aggregate,
    IReadOnlyDictionary<string, ScopeHistograms> PerDriver,
    IReadOnlyDictionary<string, ScopeHistograms> PerTarget)
{
    /// <summary>
    /// <paramref name="stats"/> with <paramref name="extraPercentiles"/> of latency and service time read from these
    /// histograms; a scope these do not hold keeps its stats as they are.
    /// </summary>
    public TestStats AddPercentiles(TestStats stats, IReadOnlyList<double> extraPercentiles)
    {
        return new TestStats(
            With(stats.Aggregate, Aggregate),
            Each(stats.PerDriver, PerDriver),
            Each(stats.PerTarget, PerTarget));

        IReadOnlyDictionary<string, StatsSummary> Each(IReadOnlyDictionary<string, StatsSummary> scopes, IReadOnlyDictionary<string, ScopeHistograms> histograms)
        {
            var result = new Dictionary<string, StatsSummary>(scopes.Count, StringComparer.Ordinal); // in the order given
            foreach (var (key, s) in scopes)
            {
                result[key] = histograms.TryGetValue(key, out var h) ? With(s, h) : s;
            }

            return result;
        }

        StatsSummary With(StatsSummary s, ScopeHistograms h) => s with
        {
            LatencyMs = s.LatencyMs with { Percentiles = LatencySummary.From(h.Latency, extraPercentiles).Percentiles },
            ServiceTimeMs = s.ServiceTimeMs with { Percentiles = LatencySummary.From(h.ServiceTime, extraPercentiles).Percentiles },
        };
    }
}
