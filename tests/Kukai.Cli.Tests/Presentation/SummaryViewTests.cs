using Kukai.Cli.Presentation;
using Kukai.Engine.Metrics;
using Kukai.Engine.Plans;
using Kukai.Results;
using Spectre.Console;

namespace Kukai.Cli.Tests.Presentation;

public sealed class SummaryViewTests
{
    [Fact]
    public void Print_SaturatedOnTwoDrivers_CountsSecondsNotDriverSeconds()
    {
        var at = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var store = new TestMetricsStore(["http://127.0.0.1:9/"]);
        store.AddDriver("d1");
        store.AddDriver("d2");
        var plan = new LoadPlan { Requests = 1, Targets = [new TargetPlan { Url = "http://127.0.0.1:9/" }] };
        var summary = TestSummaryBuilder.Build("t1", plan, TestSummaryBuilder.Completed, at, at.AddSeconds(5), ["d1", "d2"], new Dictionary<string, DateTimeOffset>(), store) with
        {
            SaturatedSeconds = [new(0, "d1", 99, 100), new(0, "d2", 99, 100), new(1, "d1", 99, 100), new(1, "d2", 99, 100), new(2, "d1", 99, 100)],
        };
        using var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Out = new AnsiConsoleOutput(output) });
        console.Profile.Width = 200;

        SummaryView.Print(console, summary, "/tmp/results");

        Assert.Contains("the load generator was saturated in 3 seconds on 2 drivers: latencies there are suspect", output.ToString(), StringComparison.Ordinal);
    }
}
