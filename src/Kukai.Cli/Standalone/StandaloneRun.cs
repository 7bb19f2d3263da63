using System.Globalization;
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
        if (options.OutDir is not null && Directory.Exists(folder.Path) && Directory.EnumerateFileSystemEntries(folder.Path).Any())
        {
            throw new UsageException($"--out: '{options.OutDir}' is not empty: name a new or empty folder, so that no earlier results are overwritten");
        }

        if (plan.ArrowOutput is { } arrowOutput && ArrowOutput.Clash(arrowOutput, folder) is { } clash)
        {
            throw new UsageException($"load.arrow_output: '{arrowOutput}' {clash}");
        }

        try
        {
            folder.Create();
        }
        catch (IOException ex)
        {
            throw new UsageException($"--out: {ex.Message}");
        }

        var requestsPath = folder.FilePath(ResultsFolder.RequestsFile);
        using var sink = plan.RecordRequests > 0 ? ArrowRecordSink.Create(requestsPath, options.DriverId, plan.Targets.Select(t => t.Key).ToArray()) : null;
        var store = new TestMetricsStore([.. plan.Targets.Select(t => t.Key)]);
        store.AddDriver(options.DriverId);
        await using var runner = new LoadRunner(plan, new RunContext(options.DriverId), _time, sink);

        // Ctrl+C: stop issuing, let requests in flight finish, and keep the results; a second one abandons them
        // (counted as timeouts) and still keeps the results.
        var timeout = TimeSpan.FromMilliseconds(plan.TimeoutMs);
        using var registration = ct.Register(() =>
        {
            runner.Stop();
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"kukai: stopping: no new requests; waiting up to {timeout.TotalSeconds:0.###} s for those in flight (Ctrl+C again abandons them, keeping the results)"));
        });
        using var abandon = Interrupts.OnSecond(() =>
        {
            runner.Abort();
            Console.Error.WriteLine("kukai: abandoning the requests in flight (counted as timeouts); writing the results (Ctrl+C again exits at once)");
        });

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

        // What could not be written is reported after the summary and the other files: nothing the test measured is
        // hidden by a file that failed.
        var failures = new List<string>();
        long? recorded = null;
        if (sink is not null)
        {
            try
            {
                recorded = sink.Complete();
            }
            catch (IOException ex)
            {
                failures.Add($"could not write {ResultsFolder.RequestsFile} ({ex.Message})");
                sink.Dispose(); // closed, so that deleting it frees its space for the other files
                TryDelete(requestsPath); // a file cut short is not an Arrow file
            }

            if (recorded is not null && plan.ArrowOutput is { } output)
            {
                try
                {
                    ArrowOutput.Publish(requestsPath, output);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    failures.Add($"arrow_output {output}: {ex.Message} (the rows are in {requestsPath})");
                }
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
            failures.Add(ex.Message);
        }

        if (failures.Count > 0)
        {
            throw new ResultsNotWrittenException($"--out: results in {folder.Path} are incomplete: {string.Join("; ", failures)}");
        }

        return new StandaloneResult(summary, folder.Path);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left as it is: the message already says the file was not written.
        }
    }
}
