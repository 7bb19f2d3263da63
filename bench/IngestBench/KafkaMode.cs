using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Kukai.Cluster.Transport;
using Kukai.Kafka;
using Microsoft.Extensions.Logging;

namespace Kukai.Bench.Ingest;

/// <summary>
/// Simulated drivers over the real Kafka path (a <c>kukai kafka-dev</c>) feeding a real <c>kukai orchestrator</c>
/// process: the test is started through the REST API; the orchestrator's and Kafka's CPU are read from <c>/proc</c>
/// at every report second.
/// </summary>
internal static class KafkaMode
{
    public static async Task<IngestResult> RunAsync(IngestOptions o, ILoggerFactory logs, CancellationToken ct)
    {
        var transports = new IClusterTransport[o.Producers];
        for (var i = 0; i < transports.Length; i++)
        {
            if (!KafkaTransportFactory.TryCreateOptions(o.Kafka, null, [], $"ingest-bench-{i}", logs, out var options, out var errors))
            {
                throw new ArgumentException(string.Join("; ", errors));
            }

            transports[i] = KafkaTransportFactory.Create(options);
        }

        var reports = new ReportFactory(o.Samples, o.Seconds);
        var sim = new SimulatedDrivers(transports, o.Drivers, o.Seconds, reports, TimeProvider.System);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var http = new HttpClient { BaseAddress = o.Orchestrator, Timeout = TimeSpan.FromSeconds(30) };
        var orchestrator = new CpuSeries();
        var kafka = new CpuSeries();
        var simulation = new CpuSeries();
        try
        {
            var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var consumer = transports[0].ConsumeAsync(new ClusterSubscription([ClusterTopic.Control], null), sim.OnControlAsync, listening, stop.Token);
            await listening.Task.WaitAsync(TimeSpan.FromSeconds(60), ct).ConfigureAwait(false);

            var thread = new Thread(() => sim.Run(
                _ =>
                {
                    var now = Stopwatch.GetTimestamp();
                    orchestrator.Sample(CpuClock.OfProcess(o.OrchestratorPid), now);
                    kafka.Sample(o.KafkaPid > 0 ? CpuClock.OfProcess(o.KafkaPid) : double.NaN, now);
                    simulation.Sample(CpuClock.OfCurrentThread(), now);
                },
                TimeSpan.FromSeconds(180),
                stop.Token)) { IsBackground = true, Name = "simulated-drivers" };
            thread.Start();

            await WaitForIdleDriversAsync(http, o.Drivers, ct).ConfigureAwait(false);
            var plan = $$"""{"type":"avalanche","concurrency":10,"durationSeconds":{{o.Seconds}},"recordRequests":false,"drivers":{{o.Drivers}},"targets":[{"url":"http://127.0.0.1:9/ping"}]}""";
            using var created = await http.PostAsync(new Uri("api/tests", UriKind.Relative), new StringContent(plan, System.Text.Encoding.UTF8, "application/json"), ct).ConfigureAwait(false);
            var body = await created.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            if (!created.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"POST /api/tests: {(int)created.StatusCode} {body}");
            }

            var testId = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
            Console.WriteLine($"test {testId} started with {o.Drivers} simulated drivers");
            var finishedAt = await sim.ReportsDone.WaitAsync(TimeSpan.FromSeconds(o.Seconds + 120), ct).ConfigureAwait(false);
            var (state, ended, count, lost) = await WaitForEndAsync(http, testId, TimeSpan.FromSeconds(120), ct).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            thread.Join(TimeSpan.FromSeconds(30));
            await consumer.ConfigureAwait(false);
            PrintSeries(orchestrator, kafka, o.Warmup);
            return new IngestResult
            {
                Mode = "kafka",
                Drivers = o.Drivers,
                Seconds = o.Seconds,
                Warmup = o.Warmup,
                CpuPercentMean = orchestrator.Mean(o.Warmup),
                CpuPercentMedian = orchestrator.Median(o.Warmup),
                CpuPercentMax = orchestrator.Max(o.Warmup),
                CpuPercentPerSecond = orchestrator.Percent,
                KafkaCpuPercentMean = kafka.Mean(o.Warmup),
                SimulationCpuPercentMean = simulation.Mean(o.Warmup),
                ReportBytes = reports.EncodedReportBytes,
                LatencyBuckets = reports.LatencyBuckets,
                TestId = testId,
                FinalState = state,
                CatchUpSeconds = ended is { } e ? Math.Round((e - finishedAt).TotalSeconds, 1) : null,
                Count = count,
                ExpectedCount = reports.PerReport * o.Seconds * o.Drivers,
                LostDrivers = lost,
                PublishFailures = sim.PublishFailures,
                Resent = sim.Resent,
            };
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            foreach (var t in transports)
            {
                await t.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    internal static void PrintSeries(CpuSeries main, CpuSeries? kafka, int warmup)
    {
        Console.WriteLine(kafka is null ? "second  runtime_cpu%" : "second  orchestrator_cpu%  kafka_cpu%");
        for (var s = 0; s < main.Percent.Count; s++)
        {
            var mark = s < warmup ? "  (warm-up)" : "";
            Console.WriteLine(kafka is null
                ? $"{s + 2,6}  {CpuSeries.Format(main.Percent[s]),12}{mark}"
                : $"{s + 2,6}  {CpuSeries.Format(main.Percent[s]),17}  {CpuSeries.Format(kafka.Percent[s]),10}{mark}");
        }
    }

    private static async Task WaitForIdleDriversAsync(HttpClient http, int expected, CancellationToken ct)
    {
        var deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 180);
        var idle = 0;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var drivers = await http.GetFromJsonAsync<JsonElement>(new Uri("api/drivers", UriKind.Relative), ct).ConfigureAwait(false);
            idle = drivers.EnumerateArray().Count(d => d.GetProperty("id").GetString()!.StartsWith("sim-", StringComparison.Ordinal) && d.GetProperty("state").GetString() == "idle");
            if (idle >= expected)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), ct).ConfigureAwait(false);
        }

        throw new TimeoutException($"only {idle} of {expected} simulated drivers became idle at the orchestrator");
    }

    private static async Task<(string State, DateTimeOffset? Ended, long? Count, int? Lost)> WaitForEndAsync(HttpClient http, string id, TimeSpan limit, CancellationToken ct)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(Stopwatch.Frequency * limit.TotalSeconds);
        var state = "?";
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var test = await http.GetFromJsonAsync<JsonElement>(new Uri($"api/tests/{id}", UriKind.Relative), ct).ConfigureAwait(false);
            state = test.GetProperty("state").GetString()!;
            if (state is "completed" or "failed" or "stopped")
            {
                var count = test.GetProperty("stats").GetProperty("aggregate").GetProperty("count").GetInt64();
                return (state, TimeProvider.System.GetUtcNow(), count, test.GetProperty("lostDrivers").GetArrayLength());
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), ct).ConfigureAwait(false);
        }

        return (state, null, null, null);
    }
}
