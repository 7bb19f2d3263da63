using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kukai.TestSupport;

namespace Kukai.Cli.Tests.Faults;

/// <summary>
/// The distributed system as whole processes for fault tests: like <see cref="ClusterProcesses"/>, but the
/// orchestrator can be killed and started again on the same address and data folder, and every Kafka broker can be
/// taken down and brought back through <c>kafka-dev</c>'s stdin commands.
/// </summary>
internal sealed partial class FaultCluster : IAsyncDisposable
{
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);
    private readonly List<KukaiProcess> _drivers = [];
    private readonly List<KukaiProcess> _oldOrchestrators = [];
    private readonly TempDirectory _dataDir = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly double _heartbeatTimeoutSeconds;

    private FaultCluster(KukaiProcess kafka, string bootstrap, int brokers, TargetProcess target, double heartbeatTimeoutSeconds)
    {
        Kafka = kafka;
        Bootstrap = bootstrap;
        Brokers = brokers;
        Target = target;
        _heartbeatTimeoutSeconds = heartbeatTimeoutSeconds;
    }

    public KukaiProcess Kafka { get; }

    public string Bootstrap { get; }

    public int Brokers { get; }

    public TargetProcess Target { get; }

    public KukaiProcess Orchestrator { get; private set; } = null!;

    public Uri Api { get; private set; } = null!;

    public string DataDir => _dataDir.Path;

    public HttpClient Http => _http;

    public IReadOnlyList<KukaiProcess> Drivers => _drivers;

    public string ResultsFolder(string testId) => Path.Combine(DataDir, "results", testId);

    public static async Task<FaultCluster> StartAsync(int drivers, int brokers = 3, double heartbeatTimeoutSeconds = 5)
    {
        var kafka = KukaiProcess.Start("kafka-dev", "--brokers", brokers.ToString(CultureInfo.InvariantCulture));
        var bootstrap = (await kafka.WaitForLineAsync(BootstrapLine(), ReadyTimeout)).Value;
        var target = await TargetProcess.StartAsync();
        var cluster = new FaultCluster(kafka, bootstrap, brokers, target, heartbeatTimeoutSeconds);
        await cluster.StartOrchestratorAsync("127.0.0.1:0");
        for (var i = 1; i <= drivers; i++)
        {
            await cluster.AddDriverAsync($"driver-{i}");
        }

        await cluster.WaitForIdleDriversAsync(drivers);
        return cluster;
    }

    /// <summary>Ends the orchestrator with SIGKILL (no shutdown code runs) and waits for it to be gone.</summary>
    public async Task KillOrchestratorAsync()
    {
        Orchestrator.Signal(KukaiProcess.SigKill);
        await Orchestrator.WaitForExitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Starts a new orchestrator process on the same address, Kafka and data folder.</summary>
    public Task RestartOrchestratorAsync() => StartOrchestratorAsync($"{Api.Host}:{Api.Port}");

    public async Task<KukaiProcess> AddDriverAsync(string id)
    {
        var driver = KukaiProcess.Start("driver", "--kafka", Bootstrap, "--orchestrator", $"{Api.Host}:{Api.Port}", "--id", id);
        _drivers.Add(driver);
        await driver.WaitForLineAsync(DriverReady(), ReadyTimeout);
        return driver;
    }

    /// <summary>Takes every broker down (each command acknowledged).</summary>
    public async Task AllBrokersDownAsync()
    {
        for (var b = 1; b <= Brokers; b++)
        {
            await KafkaCommandAsync($"broker down {b}", $"^ok broker {b} down");
        }
    }

    public async Task AllBrokersUpAsync()
    {
        for (var b = 1; b <= Brokers; b++)
        {
            await KafkaCommandAsync($"broker up {b}", $"^ok broker {b} up");
        }
    }

    /// <summary>
    /// Keeps every broker down for <paramref name="outage"/> (the fault's length, not a wait for anything), watching
    /// the API meanwhile: returns whether <c>/api/health</c> ever said Kafka was disconnected and every driver state
    /// seen during the outage.
    /// </summary>
    public async Task<(bool SawDisconnected, IReadOnlySet<string> DriverStates)> OutageAsync(TimeSpan outage)
    {
        var states = new HashSet<string>(StringComparer.Ordinal);
        var sawDisconnected = false;
        await AllBrokersDownAsync();
        var end = DateTime.UtcNow + outage;
        while (DateTime.UtcNow < end)
        {
            var health = await _http.GetFromJsonAsync<JsonElement>("api/health");
            sawDisconnected |= !health.GetProperty("kafka").GetProperty("connected").GetBoolean();
            states.UnionWith((await DriverStatesAsync()).Values);
            await Task.Delay(200);
        }

        await AllBrokersUpAsync();
        return (sawDisconnected, states);
    }

    public async Task<JsonElement> DriversAsync() => await _http.GetFromJsonAsync<JsonElement>("api/drivers");

    public async Task<IReadOnlyDictionary<string, string>> DriverStatesAsync() =>
        (await DriversAsync()).EnumerateArray().ToDictionary(d => d.GetProperty("id").GetString()!, d => d.GetProperty("state").GetString()!);

    public async Task WaitForIdleDriversAsync(int count, TimeSpan? timeout = null) =>
        await WaitUntilAsync(async () => (await DriverStatesAsync()).Values.Count(s => s == "idle") >= count, $"{count} idle drivers", timeout);

    /// <summary>Posts a plan (JSON) and returns the new test's id; throws with the body on failure.</summary>
    public async Task<string> StartTestAsync(string planJson)
    {
        using var content = new StringContent(planJson, Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync("api/tests", content);
        var body = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode != 201)
        {
            throw new InvalidOperationException($"POST api/tests answered {(int)response.StatusCode}: {body}");
        }

        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    public async Task<JsonElement> TestAsync(string id) => await _http.GetFromJsonAsync<JsonElement>($"api/tests/{id}");

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

    public async Task ResetTargetAsync() =>
        (await _http.PostAsync(new Uri(Target.BaseAddress, "/metrics/reset"), null)).EnsureSuccessStatusCode();

    /// <summary>Polls <paramref name="condition"/> every 100 ms until it holds or the deadline passes.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow <= deadline)
            {
                // The orchestrator may be restarting: ask again.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"waited in vain for {what}\n{Transcripts()}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>What every process printed lately, for failure messages.</summary>
    public string Transcripts() =>
        string.Join("\n", new[] { Orchestrator, Kafka }.Concat(_drivers).Select(p => p.Transcript()));

    public async ValueTask DisposeAsync()
    {
        foreach (var d in _drivers)
        {
            await d.DisposeAsync();
        }

        await Orchestrator.DisposeAsync();
        foreach (var o in _oldOrchestrators)
        {
            await o.DisposeAsync();
        }

        await Target.DisposeAsync();
        await Kafka.DisposeAsync();
        _http.Dispose();
        _dataDir.Dispose();
    }

    private async Task StartOrchestratorAsync(string listen)
    {
        if (Orchestrator is not null)
        {
            _oldOrchestrators.Add(Orchestrator);
        }

        Orchestrator = KukaiProcess.Start(
            "orchestrator", "--kafka", Bootstrap, "--listen", listen, "--data-dir", DataDir, "--start-delay", "1.5",
            "--heartbeat-timeout", _heartbeatTimeoutSeconds.ToString(CultureInfo.InvariantCulture));
        Api = new Uri((await Orchestrator.WaitForLineAsync(OrchestratorReady(), ReadyTimeout)).Groups["url"].Value + "/");
        _http.BaseAddress ??= Api;
    }

    private async Task KafkaCommandAsync(string command, string okPattern)
    {
        var seen = Kafka.Stdout.Count;
        await Kafka.WriteLineAsync(command);
        var ok = new Regex(okPattern);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!Kafka.Stdout.Skip(seen).Any(ok.IsMatch))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"kafka-dev did not acknowledge '{command}'\n{Kafka.Transcript()}");
            }

            await Task.Delay(20);
        }
    }

    [GeneratedRegex(@"^[^\s,:]+:\d+(,[^\s,:]+:\d+)*$")]
    private static partial Regex BootstrapLine();

    [GeneratedRegex(@"^kukai orchestrator listening on (?<url>http://\S+) kafka \S+$")]
    private static partial Regex OrchestratorReady();

    [GeneratedRegex(@"^kukai driver \S+ ready")]
    private static partial Regex DriverReady();
}
