using System.CommandLine;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kukai.Cli.Options;
using Kukai.Cli.Presentation;
using Kukai.Results;
using Spectre.Console;

namespace Kukai.Cli.Commands;

/// <summary>
/// <c>kukai demo</c>: the whole system on this machine, as separate processes — a development Kafka cluster, the
/// target, the orchestrator and two drivers — then a tsunami and an avalanche test through the REST API, each summary
/// reconciled with the target's counters. Everything is stopped at the end unless <c>--keep</c>.
/// </summary>
public static partial class DemoCommand
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    public static Command Create(IAnsiConsole console)
    {
        var keep = CliOptions.Flag("--keep", "leave everything running after the tests (Ctrl+C stops it)");
        var seconds = CliOptions.Seconds("--seconds", "length of each test (default 5)", 1, 600);
        var dataDir = CliOptions.Text("--data-dir", "the orchestrator's results folder (default ./kukai-data)", "DIR");
        var command = new Command("demo", "Run the whole system on this machine (Kafka, target, orchestrator, two drivers) and two tests.")
        {
            keep, seconds, dataDir,
        };
        command.SetAction(async (parse, ct) =>
            await RunAsync(console, parse.GetValue(keep), parse.GetValue(seconds) ?? 5, parse.GetValue(dataDir) ?? "kukai-data", ct).ConfigureAwait(false));
        return command;
    }

    private static async Task<int> RunAsync(IAnsiConsole console, bool keep, double seconds, string dataDir, CancellationToken ct)
    {
        var logs = Path.GetFullPath(Path.Combine(dataDir, "demo-logs"));
        var children = new List<ChildProcess>();
        try
        {
            console.MarkupLine("[bold]kukai demo[/]: the whole system on this machine, as separate processes");

            var kafka = Track(children, ChildProcess.Start("kafka-dev", ["kafka-dev", "--brokers", "3"], Path.Combine(logs, "kafka-dev.log")));
            var bootstrap = (await kafka.WaitForLineAsync(BootstrapLine(), ReadyTimeout, ct).ConfigureAwait(false)).Value;
            Row(console, "kafka-dev", bootstrap, kafka.Pid);

            var target = Track(children, ChildProcess.Start("target", ["target", "--listen", "127.0.0.1:0"], Path.Combine(logs, "target.log")));
            var targetUrl = new Uri((await target.WaitForLineAsync(TargetReady(), ReadyTimeout, ct).ConfigureAwait(false)).Groups["url"].Value + "/");
            Row(console, "target", targetUrl.ToString(), target.Pid);

            var orchestrator = Track(children, ChildProcess.Start(
                "orchestrator",
                ["orchestrator", "--kafka", bootstrap, "--listen", "127.0.0.1:0", "--data-dir", dataDir, "--start-delay", "1.5"],
                Path.Combine(logs, "orchestrator.log")));
            var api = new Uri((await orchestrator.WaitForLineAsync(OrchestratorReady(), ReadyTimeout, ct).ConfigureAwait(false)).Groups["url"].Value + "/");
            Row(console, "orchestrator", api.ToString(), orchestrator.Pid);

            foreach (var id in new[] { "demo-driver-1", "demo-driver-2" })
            {
                var driver = Track(children, ChildProcess.Start(
                    id, ["driver", "--kafka", bootstrap, "--orchestrator", $"{api.Host}:{api.Port}", "--id", id], Path.Combine(logs, $"{id}.log")));
                await driver.WaitForLineAsync(DriverReady(), ReadyTimeout, ct).ConfigureAwait(false);
                Row(console, "driver", id, driver.Pid);
            }

            using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(30) };
            await WaitForIdleDriversAsync(http, 2, ct).ConfigureAwait(false);
            console.MarkupLineInterpolated($"dashboard: [link]{api}[/]   logs: {logs}");

            var ping = new Uri(targetUrl, "ping").ToString();
            var tests = new (string Title, object Plan)[]
            {
                ("tsunami: one request every 2 ms on each driver", new { type = "tsunami", delayMs = 2, durationSeconds = seconds, targets = new[] { new { url = ping } }, thresholds = new[] { "p99_ms < 500", "error_rate < 0.01" } }),
                ("avalanche: 8 connections on each driver, as fast as possible", new { type = "avalanche", concurrency = 8, durationSeconds = seconds, targets = new[] { new { url = ping } }, thresholds = new[] { "error_rate < 0.01" } }),
            };
            var exit = ExitCodes.Success;
            for (var i = 0; i < tests.Length; i++)
            {
                console.WriteLine();
                console.MarkupLineInterpolated($"[bold]{i + 1}/{tests.Length} {tests[i].Title}[/] for {seconds.ToString(CultureInfo.InvariantCulture)} s");
                await http.PostAsync(new Uri(targetUrl, "metrics/reset"), null, ct).ConfigureAwait(false);
                var code = await RunTestAsync(console, http, targetUrl, tests[i].Plan, ct).ConfigureAwait(false);
                exit = Math.Max(exit, code);
            }

            console.WriteLine();
            if (keep)
            {
                console.MarkupLineInterpolated($"everything is still running: dashboard [link]{api}[/] — Ctrl+C stops it");
                try
                {
                    await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }
            else
            {
                console.MarkupLine("stopping the demo processes (--keep leaves them running)");
            }

            return exit;
        }
        finally
        {
            // Stop in reverse order: drivers first, Kafka last.
            for (var i = children.Count - 1; i >= 0; i--)
            {
                await children[i].DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<int> RunTestAsync(IAnsiConsole console, HttpClient http, Uri targetUrl, object plan, CancellationToken ct)
    {
        using var body = new StringContent(JsonSerializer.Serialize(plan), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri("api/tests", UriKind.Relative), body, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"the orchestrator refused the test: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false)}");
        }

        var id = (await response.Content.ReadFromJsonAsync<JsonElement>(ct).ConfigureAwait(false)).GetProperty("id").GetString()!;
        var lastPrinted = -1L;
        JsonElement test;
        while (true)
        {
            test = await http.GetFromJsonAsync<JsonElement>($"api/tests/{id}", ct).ConfigureAwait(false);
            var state = test.GetProperty("state").GetString();
            if (state is "completed" or "failed" or "stopped")
            {
                break;
            }

            var elapsed = (long)test.GetProperty("durationSeconds").GetDouble();
            if (state == "running" && elapsed > lastPrinted)
            {
                lastPrinted = elapsed;
                var stats = test.GetProperty("stats").GetProperty("aggregate");
                console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  [{elapsed,3}s] {stats.GetProperty("count").GetInt64(),9:N0} done  p99 {stats.GetProperty("latencyMs").GetProperty("p99").GetDouble(),8:0.###} ms"));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), ct).ConfigureAwait(false);
        }

        var summaryJson = await http.GetStringAsync(new Uri($"api/tests/{id}/files/summary.json", UriKind.Relative), ct).ConfigureAwait(false);
        var summary = JsonSerializer.Deserialize<TestSummary>(summaryJson, ResultsJson.Options)!;
        SummaryView.Print(console, summary, test.TryGetProperty("id", out _) ? $"{http.BaseAddress}api/tests/{id}" : id);

        var metrics = await http.GetFromJsonAsync<JsonElement>(new Uri(targetUrl, "metrics"), ct).ConfigureAwait(false);
        var received = metrics.GetProperty("requestsReceived").GetInt64();
        var sent = summary.Aggregate.Sent;
        if (sent == received)
        {
            console.MarkupLineInterpolated($"[green]reconciled[/]: drivers sent {sent:N0} requests = target received {received:N0}");
            return summary.Thresholds.All(t => t.Passed) ? ExitCodes.Success : ExitCodes.ThresholdFailed;
        }

        console.MarkupLineInterpolated($"[red]mismatch[/]: drivers sent {sent:N0} requests, target received {received:N0}");
        return ExitCodes.RuntimeFailure;
    }

    private static async Task WaitForIdleDriversAsync(HttpClient http, int count, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + ReadyTimeout;
        while (true)
        {
            var drivers = await http.GetFromJsonAsync<JsonElement>("api/drivers", ct).ConfigureAwait(false);
            if (drivers.EnumerateArray().Count(d => d.GetProperty("state").GetString() == "idle") >= count)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the drivers did not register with the orchestrator within {ReadyTimeout.TotalSeconds:0} s");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), ct).ConfigureAwait(false);
        }
    }

    private static ChildProcess Track(List<ChildProcess> children, ChildProcess child)
    {
        children.Add(child);
        return child;
    }

    private static void Row(IAnsiConsole console, string role, string where, int pid) =>
        console.MarkupLineInterpolated($"  {role,-13} {where,-48} [grey](pid {pid})[/]");

    [GeneratedRegex(@"^[^\s,:]+:\d+(,[^\s,:]+:\d+)*$")]
    private static partial Regex BootstrapLine();

    [GeneratedRegex(@"^kukai target listening on (?<url>http://\S+?)(?: tcp \S+)?$")]
    private static partial Regex TargetReady();

    [GeneratedRegex(@"^kukai orchestrator listening on (?<url>http://\S+) kafka \S+$")]
    private static partial Regex OrchestratorReady();

    [GeneratedRegex(@"^kukai driver \S+ ready")]
    private static partial Regex DriverReady();
}
