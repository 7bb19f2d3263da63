using System.Diagnostics;
using System.Text.Json;
using Kukai.Cluster.Messages;
using Kukai.Cluster.Orchestration;
using Kukai.Cluster.Transport;
using Kukai.Engine.Plans;
using Microsoft.Extensions.Logging;

namespace Kukai.Bench.Ingest;

/// <summary>
/// The orchestrator's runtime (<see cref="OrchestratorRuntime"/>) in this process over the in-process transport, fed
/// by simulated drivers on one dedicated thread. The runtime's CPU is this process's CPU minus that thread's (which
/// builds and encodes every message); decoding, merging, the once-a-second tick, checkpoints and, with
/// <c>--poll</c>, the dashboard's per-second read count as the runtime's.
/// </summary>
internal static class InProcessMode
{
    public static async Task<IngestResult> RunAsync(IngestOptions o, ILoggerFactory logs, CancellationToken ct)
    {
        if (Directory.Exists(o.DataDir))
        {
            Directory.Delete(o.DataDir, recursive: true);
        }

        var hub = new InProcessHub();
        var reports = new ReportFactory(o.Samples, o.Seconds);
        var runtime = new OrchestratorRuntime(hub.CreateTransport(), new OrchestratorOptions { DataDir = o.DataDir }, TimeProvider.System, logs);
        await using (runtime.ConfigureAwait(false))
        {
            await runtime.StartAsync(ct).ConfigureAwait(false);
            var simTransport = hub.CreateTransport();
            var sim = new SimulatedDrivers([simTransport], o.Drivers, o.Seconds, reports, TimeProvider.System);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var consumer = simTransport.ConsumeAsync(new ClusterSubscription([ClusterTopic.Control], null), sim.OnControlAsync, listening, stop.Token);
            await listening.Task.ConfigureAwait(false);

            var process = new CpuSeries();
            var thread = new CpuSeries();
            var runtimeSeries = new CpuSeries();
            var simThread = new Thread(() => sim.Run(
                _ =>
                {
                    var now = Stopwatch.GetTimestamp();
                    var p = CpuClock.OfThisProcess();
                    var t = CpuClock.OfCurrentThread();
                    process.Sample(p, now);
                    thread.Sample(t, now);
                    runtimeSeries.Sample(p - t, now);
                },
                TimeSpan.FromSeconds(300),
                stop.Token)) { IsBackground = true, Name = "simulated-drivers" };
            simThread.Start();

            var deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 300);
            while (runtime.Drivers().Count(d => d.State == "idle") < o.Drivers)
            {
                if (Stopwatch.GetTimestamp() > deadline)
                {
                    throw new TimeoutException("the simulated drivers did not all register");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200), ct).ConfigureAwait(false);
            }

            var plan = JsonSerializer.Deserialize<LoadPlan>(
                $$"""{"type":"avalanche","concurrency":10,"durationSeconds":{{o.Seconds}},"recordRequests":false,"targets":[{"url":"http://127.0.0.1:9/ping"}]}""",
                ClusterMessageCodec.Options)!;
            var outcome = await runtime.StartTestAsync(plan, ct).ConfigureAwait(false);
            var testId = outcome.Test?.Id ?? throw new InvalidOperationException($"the test did not start: {outcome.Conflict}");
            Console.WriteLine($"test {testId} started with {o.Drivers} simulated drivers (in-process)");
            var poll = o.Poll ? PollLikeDashboardAsync(runtime, stop.Token) : Task.CompletedTask;

            var finishedAt = await sim.ReportsDone.WaitAsync(TimeSpan.FromSeconds(o.Seconds + 300), ct).ConfigureAwait(false);
            TestView? view = null;
            DateTimeOffset? ended = null;
            deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 300);
            while (Stopwatch.GetTimestamp() < deadline)
            {
                view = runtime.Test(testId);
                if (view?.State is "completed" or "failed" or "stopped")
                {
                    ended = TimeProvider.System.GetUtcNow();
                    break;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250), ct).ConfigureAwait(false);
            }

            await stop.CancelAsync().ConfigureAwait(false);
            simThread.Join(TimeSpan.FromSeconds(30));
            await consumer.ConfigureAwait(false);
            await poll.ConfigureAwait(false);
            KafkaMode.PrintSeries(runtimeSeries, null, o.Warmup);
            return new IngestResult
            {
                Mode = o.Poll ? "inprocess-poll" : "inprocess",
                Drivers = o.Drivers,
                Seconds = o.Seconds,
                Warmup = o.Warmup,
                CpuPercentMean = runtimeSeries.Mean(o.Warmup),
                CpuPercentMedian = runtimeSeries.Median(o.Warmup),
                CpuPercentMax = runtimeSeries.Max(o.Warmup),
                CpuPercentPerSecond = runtimeSeries.Percent,
                SimulationCpuPercentMean = thread.Mean(o.Warmup),
                ReportBytes = reports.EncodedReportBytes,
                LatencyBuckets = reports.LatencyBuckets,
                TestId = testId,
                FinalState = view?.State,
                CatchUpSeconds = ended is { } e ? Math.Round((e - finishedAt).TotalSeconds, 1) : null,
                Count = view?.Stats.Aggregate.Count,
                ExpectedCount = reports.PerReport * o.Seconds * o.Drivers,
                LostDrivers = view?.LostDrivers.Count,
                PublishFailures = sim.PublishFailures,
                Resent = sim.Resent,
            };
        }
    }

    // What GET /api/events does once a second: the running test with every driver's stats, the drivers, the
    // per-second series of the last 600 s and (up to 32 drivers) the per-driver rows, serialised to JSON.
    private static async Task PollLikeDashboardAsync(OrchestratorRuntime runtime, CancellationToken ct)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                var test = runtime.CurrentOrLastTest();
                var lines = test?.State is "starting" or "running" && test.Drivers.Count <= Kukai.Results.Report.HtmlReport.MaxDriverLines;
                var series = test is null ? null : runtime.Timeseries(test.Id, lastSeconds: 600, includeRows: lines);
                var update = new
                {
                    drivers = runtime.Drivers(),
                    test,
                    seconds = series?.Seconds,
                    rows = lines ? series?.Rows : null,
                };
                _ = JsonSerializer.SerializeToUtf8Bytes(update, options);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
