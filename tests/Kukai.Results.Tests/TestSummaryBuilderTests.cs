using Kukai.Engine.Metrics;
using Kukai.Engine.Plans;

namespace Kukai.Results.Tests;

public sealed class TestSummaryBuilderTests
{
    [Fact]
    public void Build_EndedBeforeItsScheduledStart_StartedWhenItEnded()
    {
        // Stopped while starting: the start was scheduled 2 s ahead and never came.
        var stoppedAt = new DateTimeOffset(2026, 11, 22, 8, 7, 44, 153, TimeSpan.Zero);
        var plan = new LoadPlan { Requests = 1, Targets = [new TargetPlan { Url = "http://127.0.0.1:9/" }] };
        var store = new TestMetricsStore([plan.Targets[0].Key]);
        store.AddDriver("d1");

        var summary = TestSummaryBuilder.Build("t1", plan, TestSummaryBuilder.Stopped, stoppedAt.AddSeconds(2), stoppedAt, ["d1"], new Dictionary<string, DateTimeOffset>(), store);

        Assert.Equal((stoppedAt, stoppedAt, 0.0), (summary.StartedAt, summary.EndedAt, summary.DurationSeconds));
    }
}
