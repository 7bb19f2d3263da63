using Kukai.Cli.Presentation;
using Kukai.Engine.Execution;
using Kukai.Engine.Metrics;
using Kukai.Engine.Plans;
using Kukai.Results;
using Spectre.Console;

namespace Kukai.Cli.Standalone;

/// <summary>
/// <c>kukai run</c>: runs a plan on this machine with the engine in-process, shows live progress, prints the
/// summary and writes the results folder.
/// </summary>
public sealed class StandaloneRun
{
    private readonly IAnsiConsole _console;
    private readonly TimeProvider _time;

    public StandaloneRun(IAnsiConsole console, TimeProvider time)
    {
        _console = console;
        _time = time;
    }

    public async Task<StandaloneResult> RunAsync(LoadPlan plan, StandaloneOptions options, CancellationToken ct)
    {
        var testId = TestIds.New(_time);
        var folder = new ResultsFolder(options.OutDir ?? Path.Combine("kukai-results", testId));
        try
        {
            folder.Create();
        }
        catch (IOException ex)
        {
            throw new UsageException($"--out: {ex.Message}");
        }

        var arrowPath = plan.ArrowOutput is null ? folder.FilePath(ResultsFolder.RequestsFile) : Path.GetFullPath(plan.ArrowOutput);
        using var sink = plan.RecordRequests > 0 ? ArrowRecordSink.Create(arrowPath, options.DriverId, plan.Targets.Select(t => t.Key).ToArray()) : null;
        var store = new TestMetricsStore([.. plan.Targets.Select(t => t.Key)]);
        store.AddDriver(options.DriverId);
        await using var runner = new LoadRunner(plan, new RunContext(options.DriverId), _time, sink);

        // Ctrl+C: stop issuing, let requests in flight finish, and keep the results.
        using var registration = ct.Register(runner.Stop);

        using var liveStop = new CancellationTokenSource();
        var live = options.Quiet
            ? Task.CompletedTask
            : new LiveProgress(_console, plan, store, _time).ShowAsync(options.Live, liveStop.Token);
        var result = await runner.RunAsync(runner.Clock.Now, interval => store.Apply(options.DriverId, interval)).ConfigureAwait(false);
        await liveStop.CancelAsync().ConfigureAwait(false);
        await live.ConfigureAwait(false);

        // On the run's own clock, like every per-request timestamp.
        var startedAt = runner.Clock.ToDateTimeOffset(result.StartTicks);
        var endedAt = runner.Clock.ToDateTimeOffset(result.EndTicks);

        long? recorded = null;
        if (sink is not null)
        {
            recorded = sink.Complete();
            if (plan.ArrowOutput is not null)
            {
                LinkRequestsFile(folder, arrowPath);
            }
        }

        var summary = TestSummaryBuilder.Build(
            testId,
            plan,
            result.Stopped ? TestSummaryBuilder.Stopped : TestSummaryBuilder.Completed,
            startedAt,
            endedAt,
            [options.DriverId],
            new Dictionary<string, DateTimeOffset>(),
            store,
            reason: result.Stopped ? "stopped by the user" : null,
            recordedRequests: recorded,
            version: KukaiVersion.Current);
        // The summary is printed first: a disk that fills up at the end must not hide what the test measured.
        SummaryView.Print(_console, summary, folder.Path);
        if (result.Unexpected is { } bug)
        {
            _console.MarkupLineInterpolated($"[yellow]warning:[/] a request failed unexpectedly and was counted as a protocol error: {bug.GetType().Name}: {bug.Message}");
        }

        try
        {
            folder.WriteFinal(summary, store);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ResultsNotWrittenException($"--out: writing results to {folder.Path} failed: {ex.Message}", ex);
        }

        return new StandaloneResult(summary, folder.Path);
    }

    // The seed's arrow_output names the file; the results folder links to it so `kukai report` finds it.
    private static void LinkRequestsFile(ResultsFolder folder, string arrowPath)
    {
        var link = folder.FilePath(ResultsFolder.RequestsFile);
        if (Path.GetFullPath(link) == arrowPath)
        {
            return;
        }

        File.Delete(link);
        File.CreateSymbolicLink(link, arrowPath);
    }
}
