using System.Globalization;
using System.Text.Json;
using Kukai.TestSupport;

namespace Kukai.Cli.Tests.Commands;

/// <summary>
/// <c>requests.arrow</c> as Kukai writes it, read back by an independent Arrow implementation (the official
/// apache-arrow npm package): schema and types of SPEC §4, one row per request, every value consistent with what
/// was measured, and percentiles recomputed from the rows agreeing with <c>summary.json</c> within HDR precision.
/// </summary>
public sealed class RequestsArrowTests(NodeArrowFixture node) : IClassFixture<NodeArrowFixture>
{
    private static readonly (string Name, string Type, bool Nullable)[] Schema =
    [
        ("timestamp", "Timestamp<NANOSECOND, UTC>", false), ("driver_id", "Utf8", false), ("target", "Utf8", false),
        ("latency_us", "Int64", false), ("status", "Int32", false), ("success", "Bool", false), ("error", "Utf8", true),
        ("bytes_sent", "Int64", false), ("bytes_received", "Int64", false),
    ];

    [Fact]
    public async Task Run_RecordedRequests_ApacheArrowReadsEveryRowAndPercentilesAgree()
    {
        await using var target = await TargetProcess.StartAsync();
        using var dir = new TempDirectory();
        var failing = target.PingUrl + "?status=503&tag=ü"; // a non-ASCII string in the target column
        var config = dir.Write("test.toml", $$"""
            [load]
            type = "avalanche"
            concurrency = 4
            requests = 3000
            targets = [{ url = "{{target.PingUrl}}", weight = 3.0 }, { url = "{{failing}}", weight = 1.0 }]
            """);

        var run = await KukaiProcess.RunAsync(TimeSpan.FromSeconds(120), ["run", "--config", config, "--out", dir.File("out"), "--id", "drv-7"]);
        Assert.True(run.ExitCode == 0, run.Transcript());

        using var file = await node.ReadAsync(dir.File("out/requests.arrow"));
        var summary = new ResultsFiles(dir.File("out")).Summary();
        AssertSchema(file.RootElement);
        var rows = file.RootElement.GetProperty("rows").EnumerateArray().ToList();
        var aggregate = summary.GetProperty("aggregate");
        Assert.Equal(3000, rows.Count);
        Assert.Equal(aggregate.GetProperty("count").GetInt64(), rows.Count);
        Assert.Equal(3000, summary.GetProperty("recordedRequests").GetInt64());
        Assert.All(rows, r => Assert.Equal("drv-7", r.GetProperty("driver_id").GetString()));

        // Values agree with the counters: per target, errors by kind, bytes.
        var byTarget = rows.GroupBy(r => r.GetProperty("target").GetString()!).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(summary.GetProperty("perTarget").GetProperty(target.PingUrl).GetProperty("count").GetInt64(), byTarget[target.PingUrl].Count);
        Assert.All(byTarget[target.PingUrl], r =>
        {
            Assert.True(r.GetProperty("success").GetBoolean());
            Assert.Equal(JsonValueKind.Null, r.GetProperty("error").ValueKind);
            Assert.Equal(200, r.GetProperty("status").GetInt32());
        });
        Assert.All(byTarget[failing], r =>
        {
            Assert.False(r.GetProperty("success").GetBoolean());
            Assert.Equal("http_5xx", r.GetProperty("error").GetString());
            Assert.Equal(503, r.GetProperty("status").GetInt32());
        });
        Assert.Equal(aggregate.GetProperty("errors").GetProperty("http_5xx").GetInt64(), byTarget[failing].Count);
        Assert.Equal(aggregate.GetProperty("bytesSent").GetInt64(), rows.Sum(r => Long(r, "bytes_sent")));
        Assert.Equal(aggregate.GetProperty("bytesReceived").GetInt64(), rows.Sum(r => Long(r, "bytes_received")));

        // Intended starts lie within the test, in UTC nanoseconds.
        var started = DateTimeOffset.Parse(summary.GetProperty("startedAt").GetString()!, CultureInfo.InvariantCulture);
        var ended = DateTimeOffset.Parse(summary.GetProperty("endedAt").GetString()!, CultureInfo.InvariantCulture);
        Assert.All(rows, r =>
        {
            var at = DateTimeOffset.UnixEpoch.AddTicks(Long(r, "timestamp") / 100);
            Assert.InRange(at, started - TimeSpan.FromMilliseconds(5), ended + TimeSpan.FromMilliseconds(5));
        });

        // Percentiles from the rows (nearest rank) agree with the histogram's within HDR precision (≤ 1/1024 above).
        var latencies = rows.Select(r => Long(r, "latency_us")).Order().ToArray();
        var stats = aggregate.GetProperty("latencyMs");
        foreach (var (name, p) in new[] { ("median", 50.0), ("p90", 90.0), ("p95", 95.0), ("p99", 99.0), ("p999", 99.9), ("max", 100.0) })
        {
            var rank = Math.Max(1, (int)Math.Ceiling((p * latencies.Length / 100) - 1e-9)); // 99.9 % of 3000 is rank 2997, not 2998
            var exact = latencies[rank - 1];
            var reported = (long)Math.Round(stats.GetProperty(name).GetDouble() * 1000);
            Assert.True(reported >= exact && reported <= exact + exact / 1024 + 1, $"{name}: rows say {exact} µs, summary {reported} µs");
        }

        Assert.Equal(latencies[0], (long)Math.Round(stats.GetProperty("min").GetDouble() * 1000));
        Assert.Equal(latencies.Average() / 1000, stats.GetProperty("mean").GetDouble(), 3);
    }

    [Fact]
    public async Task Cluster_TwoDrivers_MergedFileHoldsEveryDriversRows()
    {
        await using var cluster = await ClusterProcesses.StartAsync(2);
        var id = await cluster.StartTestAsync($$"""{ "type": "avalanche", "concurrency": 2, "requests": 300, "targets": [{ "url": "{{cluster.Target.PingUrl}}" }] }""");
        await cluster.WaitForEndAsync(id);
        using var dir = new TempDirectory();
        var path = dir.File("requests.arrow");
        await File.WriteAllBytesAsync(path, await cluster.Http.GetByteArrayAsync($"api/tests/{id}/files/requests.arrow"));

        using var file = await node.ReadAsync(path);
        AssertSchema(file.RootElement);
        var rows = file.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(600, rows.Count);
        Assert.Equal(
            new Dictionary<string, int> { ["driver-1"] = 300, ["driver-2"] = 300 },
            rows.GroupBy(r => r.GetProperty("driver_id").GetString()!).ToDictionary(g => g.Key, g => g.Count()));
        Assert.All(rows, r => Assert.True(r.GetProperty("success").GetBoolean()));
    }

    [Fact]
    public async Task Run_ErrorsOnly_RowsCarryTheErrorAndNoStatus()
    {
        using var dir = new TempDirectory();
        var refused = FreePort();
        var config = dir.Write("test.toml", $$"""
            [load]
            requests = 50
            concurrency = 2
            targets = [{ url = "http://127.0.0.1:{{refused}}/ping" }]
            """);

        var run = await KukaiProcess.RunAsync(TimeSpan.FromSeconds(60), ["run", "--config", config, "--out", dir.File("out")]);
        Assert.True(run.ExitCode == 0, run.Transcript());

        using var file = await node.ReadAsync(dir.File("out/requests.arrow"));
        AssertSchema(file.RootElement);
        var rows = file.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(50, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.False(r.GetProperty("success").GetBoolean());
            Assert.Equal("connect", r.GetProperty("error").GetString());
            Assert.Equal(0, r.GetProperty("status").GetInt32());
        });
    }

    [Fact]
    public async Task Run_RecordRequestsFalse_NoRowsFileAndSamplingFractionRecordsSome()
    {
        await using var target = await TargetProcess.StartAsync();
        using var dir = new TempDirectory();
        var off = dir.Write("off.toml", $$"""
            [load]
            requests = 200
            record_requests = false
            targets = [{ url = "{{target.PingUrl}}" }]
            """);
        var sampled = dir.Write("sampled.toml", $$"""
            [load]
            requests = 4000
            concurrency = 8
            record_requests = 0.25
            targets = [{ url = "{{target.PingUrl}}" }]
            """);

        var runOff = await KukaiProcess.RunAsync(TimeSpan.FromSeconds(60), ["run", "--config", off, "--out", dir.File("off")]);
        var runSampled = await KukaiProcess.RunAsync(TimeSpan.FromSeconds(60), ["run", "--config", sampled, "--out", dir.File("sampled")]);

        Assert.True(runOff.ExitCode == 0, runOff.Transcript());
        Assert.False(File.Exists(dir.File("off/requests.arrow")));
        Assert.True(runSampled.ExitCode == 0, runSampled.Transcript());
        using var file = await node.ReadAsync(dir.File("sampled/requests.arrow"));
        var count = file.RootElement.GetProperty("rows").GetArrayLength();
        Assert.Equal(new ResultsFiles(dir.File("sampled")).Summary().GetProperty("recordedRequests").GetInt64(), count);
        Assert.InRange(count, 700, 1300); // 25 % of 4000 = 1000, ± 30 % (seeded sampling; wide on purpose)
    }

    private static void AssertSchema(JsonElement file)
    {
        var fields = file.GetProperty("schema").EnumerateArray().ToList();
        Assert.Equal(Schema.Length, fields.Count);
        for (var i = 0; i < Schema.Length; i++)
        {
            Assert.Equal(Schema[i].Name, fields[i].GetProperty("name").GetString());
            Assert.Equal(Schema[i].Type, fields[i].GetProperty("type").GetString());
            Assert.Equal(Schema[i].Nullable, fields[i].GetProperty("nullable").GetBoolean());
        }
    }

    private static long Long(JsonElement row, string name) =>
        row.GetProperty(name).ValueKind == JsonValueKind.String
            ? long.Parse(row.GetProperty(name).GetString()!, CultureInfo.InvariantCulture)
            : row.GetProperty(name).GetInt64();

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
