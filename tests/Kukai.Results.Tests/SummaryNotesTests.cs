using Kukai.Engine.Plans;
using Kukai.Results.Tests.Report;

namespace Kukai.Results.Tests;

public sealed class SummaryNotesTests
{
    private static TestSummary Summary(LoadPlan plan, long late, long busy)
    {
        var summary = ReportSamples.Simulate("x", new ReportSamples.Simulation { Seconds = 1 }).Summary;
        return summary with { Plan = plan, Aggregate = summary.Aggregate with { Late = late, LateConnectionsBusy = busy } };
    }

    private static readonly LoadPlan Tsunami = new() { Type = TestType.Tsunami, Rps = 1000, Connections = 8, Targets = [new TargetPlan { Url = "http://127.0.0.1:1/" }] };

    [Fact]
    public void For_NothingLate_NoNote()
    {
        Assert.Empty(SummaryNotes.For(Summary(Tsunami, 0, 0)));
    }

    [Fact]
    public void For_EveryRequestFailed_SaysTheLatenciesAreOfFailures()
    {
        var summary = Summary(Tsunami, 0, 0);
        summary = summary with { Aggregate = summary.Aggregate with { Ok = 0 } };

        Assert.Equal(["Every request failed: the latencies are those of failures."], SummaryNotes.For(summary));
    }

    [Fact]
    public void For_NoRequestCompleted_SaysSo()
    {
        var summary = Summary(Tsunami, 0, 0);
        summary = summary with { Aggregate = summary.Aggregate with { Count = 0, Ok = 0 } };

        Assert.Equal(["No request completed in this test."], SummaryNotes.For(summary));
    }

    [Fact]
    public void For_TsunamiLateBothWays_OneNotePerCauseNamingConnections()
    {
        var notes = SummaryNotes.For(Summary(Tsunami, 1_500, 1_200));

        Assert.Equal(2, notes.Count);
        Assert.Equal(
            "1,200 request(s) left late because every connection was busy: the target answered too slowly for connections = 8 " +
            "per driver at this rate (raise connections if it can take more at once, or lower the rate).",
            notes[0]);
        Assert.StartsWith("300 request(s) left late with a connection free: the load generator itself fell behind", notes[1], StringComparison.Ordinal);
    }

    [Fact]
    public void For_RateLimitedAvalancheWaitingForConnections_NamesConcurrency()
    {
        var avalanche = Tsunami with { Type = TestType.Avalanche, Connections = null, Concurrency = 4 };

        var note = Assert.Single(SummaryNotes.For(Summary(avalanche, 7, 7)));

        Assert.Contains("too slowly for concurrency = 4 per driver at this rate (raise concurrency", note, StringComparison.Ordinal);
    }

    [Fact]
    public void For_OnlyTheGeneratorBehind_OnlyThatNote()
    {
        var note = Assert.Single(SummaryNotes.For(Summary(Tsunami, 5, 0)));

        Assert.StartsWith("5 request(s) left late with a connection free", note, StringComparison.Ordinal);
    }
}
