using System.Text.Json;
using Kukai.Bench.Ingest;
using Microsoft.Extensions.Logging;

IngestOptions options;
try
{
    options = IngestOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"ingest-bench: {ex.Message}");
    Console.Error.WriteLine(IngestOptions.Usage);
    return 2;
}

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};
// Warnings from the transport and the tool; the runtime's per-driver "lost" warnings would flood the log (the result
// counts lost drivers), so only its errors are shown.
using var logs = LoggerFactory.Create(b => b
    .SetMinimumLevel(LogLevel.Warning)
    .AddFilter("Kukai.Cluster", LogLevel.Error)
    .AddSimpleConsole(o => o.SingleLine = true));
var reports = new ReportFactory(options.Samples, options.Seconds);
Console.WriteLine($"{options.Drivers} simulated drivers, {options.Seconds} s of reports; one report: {reports.EncodedReportBytes} bytes, {reports.PerReport} requests, {reports.LatencyBuckets} latency buckets");
var result = options.Mode == "kafka"
    ? await KafkaMode.RunAsync(options, logs, cts.Token)
    : await InProcessMode.RunAsync(options, logs, cts.Token);
Console.WriteLine("result " + JsonSerializer.Serialize(result, new JsonSerializerOptions(JsonSerializerDefaults.Web) { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
return result.FinalState == "completed" && result.Count == result.ExpectedCount ? 0 : 1;
