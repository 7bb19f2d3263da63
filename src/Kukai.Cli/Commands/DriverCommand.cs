using System.CommandLine;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Kukai.Cli.Config;
using Kukai.Cli.Options;
using Kukai.Cluster.Driver;
using Spectre.Console;

namespace Kukai.Cli.Commands;

/// <summary><c>kukai driver</c> (alias <c>edge</c>): a load-generating node that joins the orchestrator over Kafka.</summary>
public static class DriverCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var flags = new ClusterFlags();
        var orchestrator = CliOptions.HostPort("--orchestrator", "the orchestrator's HTTP address (for uploads, and to find Kafka when --kafka is absent)", allowPortZero: false);
        var command = new Command("driver", "Run a driver: registers with the orchestrator, heartbeats, and runs its share of each test.") { orchestrator };
        command.Aliases.Add("edge");
        flags.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            RuntimeTuning.ForLoadGeneration();
            return await RunAsync(
                console,
                parse.GetValue(flags.Kafka),
                parse.GetValue(orchestrator),
                parse.GetValue(flags.Id),
                ClusterFlags.ResolveToken(parse.GetValue(flags.Token)),
                parse.GetValue(flags.TopicPrefix),
                parse.GetValue(flags.KafkaConfig) ?? [],
                ct).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>A driver from a config file (<c>mode = "edge"</c>).</summary>
    public static Task<int> RunFromConfigAsync(IAnsiConsole console, KukaiConfig config, CancellationToken ct)
    {
        HostPort? orchestrator = null;
        if (config.EdgeCommanderAddress is { } address && !HostPort.TryParse(address, allowPortZero: false, out orchestrator, out var error))
        {
            throw new UsageException($"{config.Path}: edge.commander_address: '{address}' {error}");
        }

        return RunAsync(console, config.KafkaBootstrap, orchestrator, config.EdgeId, ClusterFlags.ResolveToken(null), config.KafkaTopicPrefix, [], ct);
    }

    /// <summary>A new driver id: the host name and a short random suffix.</summary>
    public static string NewId() =>
        $"{Environment.MachineName.ToLowerInvariant()}-{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray(), 0, 2)}";

    private static async Task<int> RunAsync(IAnsiConsole console, string? kafkaFlag, HostPort? orchestrator, string? id, string? token, string? prefix, IReadOnlyList<string> kafkaConfig, CancellationToken ct)
    {
        using var logging = CliLogging.Create();
        id ??= NewId();
        var orchestratorUrl = orchestrator is null ? null : new Uri($"http://{orchestrator}/");
        var bootstrap = kafkaFlag ?? await DiscoverKafkaAsync(orchestratorUrl, token, ct).ConfigureAwait(false);
        await using var kafka = KafkaConnection.Open(bootstrap, prefix, kafkaConfig, $"kukai-driver-{id}", logging, embedWhenMissing: false);
        await using var node = new DriverNode(kafka.Transport, new DriverOptions
        {
            DriverId = id,
            OrchestratorUrl = orchestratorUrl,
            Token = token,
            Version = KukaiVersion.Current,
            SpoolDirectory = Path.Combine(Path.GetTempPath(), "kukai-driver", id),
        }, TimeProvider.System, logging);
        var run = node.RunAsync(ct);
        await Task.WhenAny(node.Ready, run).ConfigureAwait(false);
        if (node.Ready.IsCompletedSuccessfully)
        {
            console.WriteLine($"kukai driver {id} ready kafka {kafka.Bootstrap}");
        }

        await run.ConfigureAwait(false);
        return ExitCodes.Success;
    }

    // Without --kafka the orchestrator says where its Kafka is (GET /api/health → kafka.bootstrap).
    private static async Task<string> DiscoverKafkaAsync(Uri? orchestrator, string? token, CancellationToken ct)
    {
        if (orchestrator is null)
        {
            throw new UsageException("--kafka: give the Kafka bootstrap servers, or --orchestrator HOST:PORT to ask the orchestrator for them");
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(orchestrator, "api/health"), ct).ConfigureAwait(false);

                // Refused: waiting will not help. The message never shows the token.
                if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                {
                    throw new UsageException(token is null
                        ? $"--token: the orchestrator at {orchestrator} requires an API token: give --token or set KUKAI_TOKEN"
                        : $"--token: the orchestrator at {orchestrator} refused the token ({(int)response.StatusCode} {response.ReasonPhrase})");
                }

                response.EnsureSuccessStatusCode();
                var health = await response.Content.ReadFromJsonAsync<JsonElement>(ct).ConfigureAwait(false);
                if (health.ValueKind == JsonValueKind.Object && health.TryGetProperty("kafka", out var kafka) && kafka.ValueKind == JsonValueKind.Object
                    && kafka.TryGetProperty("bootstrap", out var b) && b.ValueKind == JsonValueKind.String && b.GetString() is { Length: > 0 } bootstrap)
                {
                    return bootstrap;
                }

                throw new UsageException($"--orchestrator: {orchestrator} did not say where its Kafka is; give --kafka");
            }
            catch (JsonException)
            {
                throw new UsageException($"--orchestrator: {orchestrator} is not a Kukai orchestrator (GET /api/health did not answer JSON); give --kafka");
            }
            catch (HttpRequestException ex) when (DateTime.UtcNow < deadline)
            {
                _ = ex;
                await Task.Delay(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                throw new UsageException($"--orchestrator: cannot reach {orchestrator}: {ex.Message}");
            }
        }
    }
}
