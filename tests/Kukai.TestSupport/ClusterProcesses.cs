using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Kukai.TestSupport;

/// <summary>
/// The whole system as separate processes on 127.0.0.1: <c>kukai kafka-dev</c>, <c>kukai target</c>,
/// <c>kukai orchestrator</c> and any number of <c>kukai driver</c>s, each started and awaited through its ready line.
/// </summary>
public sealed partial class ClusterProcesses : IAsyncDisposable
{
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);
    private readonly List<KukaiProcess> _drivers = [];
    private readonly TempDirectory _dataDir;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private ClusterProcesses(KukaiProcess kafka, string bootstrap, TargetProcess target, KukaiProcess orchestrator, Uri api, string? token, TempDirectory dataDir)
    {
        _dataDir = dataDir;
        Kafka = kafka;
        Bootstrap = bootstrap;
        Target = target;
        Orchestrator = orchestrator;
        Api = api;
        Token = token;
        _http.BaseAddress = api;
        if (token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }
    }

    public KukaiProcess Kafka { get; }

    public string Bootstrap { get; }

    public TargetProcess Target { get; }

    public KukaiProcess Orchestrator { get; }

    public Uri Api { get; }

    public string? Token { get; }

    public string DataDir => _dataDir.Path;

    public HttpClient Http => _http;

    public IReadOnlyList<KukaiProcess> Drivers => _drivers;

    public static async Task<ClusterProcesses> StartAsync(int drivers, string? token = null, double heartbeatTimeoutSeconds = 5)
    {
        var kafka = KukaiProcess.Start("kafka-dev", "--brokers", "3");
        var bootstrap = (await kafka.WaitForLineAsync(BootstrapLine(), ReadyTimeout)).Value;
        var target = await TargetProcess.StartAsync(tcp: true);
        var dataDir = new TempDirectory();
        var args = new List<string>
        {
            "orchestrator", "--kafka", bootstrap, "--listen", "127.0.0.1:0", "--data-dir", dataDir.Path,
            "--start-delay", "1.5", "--heartbeat-timeout", heartbeatTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (token is not null)
        {
            args.AddRange(["--token", token]);
        }

        var orchestrator = KukaiProcess.Start(args);
        var api = new Uri((await orchestrator.WaitForLineAsync(OrchestratorReady(), ReadyTimeout)).Groups["url"].Value + "/");
        var cluster = new ClusterProcesses(kafka, bootstrap, target, orchestrator, api, token, dataDir);
        for (var i = 1; i <= drivers; i++)
        {
            await cluster.AddDriverAsync($"driver-{i}");
        }

        await cluster.WaitForIdleDriversAsync(drivers);
        return cluster;
    }

    /// <summary>Starts one more driver and waits until it is ready.</summary>
    public async Task<KukaiProcess> AddDriverAsync(string id)
    {
        var args = new List<string> { "driver", "--kafka", Bootstrap, "--orchestrator", $"{Api.Host}:{Api.Port}", "--id", id };
        if (Token is not null)
        {
            args.AddRange(["--token", Token]);
        }

        var driver = KukaiProcess.Start(args);
        _drivers.Add(driver);
        await driver.WaitForLineAsync(DriverReady(), ReadyTimeout);
        return driver;
    }

    /// <summary>The drivers as the API lists them.</summary>
    public async Task<JsonElement> DriversAsync() => await _http.GetFromJsonAsync<JsonElement>("api/drivers");

    public async Task WaitForIdleDriversAsync(int count, TimeSpan? timeout = null) =>
        await WaitUntilAsync(async () => (await DriversAsync()).EnumerateArray().Count(d => d.GetProperty("state").GetString() == "idle") >= count, $"{count} idle drivers", timeout);

    /// <summary>Posts a plan (JSON) and returns the new test's id; throws with the body on failure.</summary>
    public async Task<string> StartTestAsync(string planJson, string route = "api/tests")
    {
        using var content = new StringContent(planJson, Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(route, content);
        var body = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode != 201)
        {
            throw new InvalidOperationException($"POST {route} answered {(int)response.StatusCode}: {body}");
        }

        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    public async Task<JsonElement> TestAsync(string id) => await _http.GetFromJsonAsync<JsonElement>($"api/tests/{id}");

    /// <summary>Waits for the test to end; returns its final view.</summary>
    public async Task<JsonElement> WaitForEndAsync(string id, TimeSpan? timeout = null)
    {
        JsonElement test = default;
        await WaitUntilAsync(async () =>
        {
            test = await TestAsync(id);
            return test.GetProperty("state").GetString() is "completed" or "failed" or "stopped";
        }, $"test {id} to end", timeout ?? TimeSpan.FromSeconds(120));
        return test;
    }

    /// <summary>The test's <c>summary.json</c> through the API.</summary>
    public async Task<JsonElement> SummaryAsync(string id) => await _http.GetFromJsonAsync<JsonElement>($"api/tests/{id}/files/summary.json");

    public async Task ResetTargetAsync() =>
        (await _http.PostAsync(new Uri(Target.BaseAddress, "/metrics/reset"), null)).EnsureSuccessStatusCode();

    /// <summary>Polls <paramref name="condition"/> every 100 ms until it holds or the deadline passes.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"waited in vain for {what}\n{Orchestrator.Transcript()}");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var d in _drivers)
        {
            await d.DisposeAsync();
        }

        await Orchestrator.DisposeAsync();
        await Target.DisposeAsync();
        await Kafka.DisposeAsync();
        _http.Dispose();
        _dataDir.Dispose();
    }

    [GeneratedRegex(@"^[^\s,:]+:\d+(,[^\s,:]+:\d+)*$")]
    private static partial Regex BootstrapLine();

    [GeneratedRegex(@"^kukai orchestrator listening on (?<url>http://\S+) kafka \S+$")]
    private static partial Regex OrchestratorReady();

    [GeneratedRegex(@"^kukai driver \S+ ready")]
    private static partial Regex DriverReady();
}
