using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kukai.Orchestrator.Tests.Api;
using Kukai.Orchestrator.Tests.Testing;
using Kukai.TestSupport;

namespace Kukai.Orchestrator.Tests.Auth;

/// <summary>
/// An orchestrator with a token (<c>--token</c>), Kafka settings passed through (<c>--kafka-config</c>, with a secret) and
/// logging at Trace, a target, and one driver that finds Kafka through the orchestrator with the token. One test has
/// run with secret request headers, and the token has been used in headers and in query strings, so every log and
/// results file the secrets could leak into exists before any test reads it.
/// </summary>
public sealed partial class SecuredClusterFixture : OrchestratorFixture
{
    public const string SecretToken = "kukai-token-9c41e7";
    public const string KafkaSecret = "kafka-sasl-secret-51b2";
    public const string PlanAuthorization = "Bearer plan-secret-a07f";
    public const string PlanApiKey = "plan-secret-key-3d9c";
    public const string UrlApiKey = "url-secret-key-5d2b";
    public const string DriverId = "secure-driver";

    private static readonly Dictionary<string, string> TraceLogging = new() { ["KUKAI_LOG_LEVEL"] = "Trace" };

    private TargetProcess? _target;
    private KukaiProcess? _driver;

    public override string? Token => SecretToken;

    /// <summary>Every secret given to the system: none may appear in logs, results or messages.</summary>
    public static IReadOnlyList<string> Secrets { get; } = [SecretToken, KafkaSecret, "plan-secret-a07f", PlanApiKey, UrlApiKey];

    public KukaiProcess Driver => _driver ?? throw new InvalidOperationException("not started");

    public TargetProcess Target => _target ?? throw new InvalidOperationException("not started");

    /// <summary>The test that ran with secret headers.</summary>
    public string TestId { get; private set; } = "";

    protected override IEnumerable<string> Flags =>
        [.. base.Flags, "--kafka-config", "security.protocol=PLAINTEXT", "--kafka-config", $"sasl.password={KafkaSecret}"];

    protected override IDictionary<string, string> Environment => TraceLogging;

    /// <summary>
    /// A valid plan for the target: <paramref name="requests"/> requests with secret and plain headers, to a url with a
    /// secret and a plain query parameter.
    /// </summary>
    public string Plan(int requests) => $$"""
        { "type": "avalanche", "concurrency": 2, "requests": {{requests}},
          "headers": { "Authorization": "{{PlanAuthorization}}", "X-Api-Key": "{{PlanApiKey}}", "X-Trace": "visible-header" },
          "targets": [{ "url": "{{Target.PingUrl}}?api_key={{UrlApiKey}}&region=eu" }] }
        """;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _target = await TargetProcess.StartAsync();

        // No --kafka: the driver asks GET /api/health, which needs the token.
        _driver = KukaiProcess.Start(
            ["driver", "--orchestrator", $"{BaseUrl.Host}:{BaseUrl.Port}", "--id", DriverId, "--token", SecretToken, "--kafka-config", "security.protocol=PLAINTEXT"],
            environment: TraceLogging);
        await _driver.WaitForLineAsync(DriverReady(), ReadyTimeout);

        using var http = CreateClient(SecretToken);
        await WaitForIdleDriverAsync(http);
        TestId = await StartTestAsync(http, "api/tests", Plan(40));
        await WaitForEndAsync(http, TestId);

        // The token in a query string (event stream, file link) and a wrong one: both must stay out of the logs.
        using (var events = await http.GetAsync($"api/events?access_token={SecretToken}", HttpCompletionOption.ResponseHeadersRead))
        {
            events.EnsureSuccessStatusCode();
        }

        using var open = CreateClient();
        (await open.GetAsync($"api/tests/{TestId}/files/summary.json?access_token={SecretToken}")).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Unauthorized, (await open.GetAsync($"api/tests?access_token={SecretToken}")).StatusCode);
    }

    public override async Task DisposeAsync()
    {
        if (_driver is not null)
        {
            await _driver.DisposeAsync();
        }

        if (_target is not null)
        {
            await _target.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    /// <summary>Waits until the driver is idle (registered, or done with its last test).</summary>
    public static Task WaitForIdleDriverAsync(HttpClient http) =>
        Eventually.TrueAsync(
            async () => (await http.GetFromJsonAsync<JsonElement>("api/drivers")).EnumerateArray().Any(d => d.GetProperty("state").GetString() == "idle"),
            "an idle driver",
            ReadyTimeout);

    /// <summary>Posts a plan and returns the new test's id; throws with the answer when it is not 201.</summary>
    public static async Task<string> StartTestAsync(HttpClient http, string route, string plan)
    {
        using var content = new StringContent(plan, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(route, content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST {route}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Waits until the test has ended (completed, failed or stopped); returns its state.</summary>
    public static async Task<string> WaitForEndAsync(HttpClient http, string id)
    {
        var state = "";
        await Eventually.TrueAsync(
            async () =>
            {
                state = (await http.GetFromJsonAsync<JsonElement>($"api/tests/{id}")).GetProperty("state").GetString()!;
                return state is "completed" or "failed" or "stopped";
            },
            $"test {id} to end",
            TimeSpan.FromSeconds(90));
        return state;
    }

    [GeneratedRegex(@"^kukai driver \S+ ready")]
    private static partial Regex DriverReady();
}
