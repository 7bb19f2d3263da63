using System.CommandLine;
using System.Net.Sockets;
using Kukai.Cli.Config;
using Kukai.Cli.Options;
using Kukai.Cluster.Orchestration;
using Kukai.Orchestrator;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Kukai.Cli.Commands;

/// <summary><c>kukai orchestrator</c> (alias <c>commander</c>): the control plane — REST API, dashboard, runtime controller.</summary>
public static class OrchestratorCommand
{
    /// <summary>Where the orchestrator listens by default.</summary>
    public static readonly HostPort DefaultListen = new("127.0.0.1", 5000);

    public static Command Create(IAnsiConsole console)
    {
        var flags = new ClusterFlags();
        var listen = CliOptions.HostPort("--listen", "HTTP address for the API and dashboard (default 127.0.0.1:5000)", allowPortZero: true);
        var dataDir = CliOptions.Text("--data-dir", "where results are kept (default ./kukai-data)", "DIR");
        var heartbeat = CliOptions.Seconds("--heartbeat-timeout", "a driver silent this long is lost (default 5)", 1, 3600);
        var startDelay = CliOptions.Seconds("--start-delay", "how far ahead a test's synchronised start is set (default 2)", 0.2, 60);
        var command = new Command("orchestrator", "Run the orchestrator: REST API, dashboard and the runtime that coordinates drivers over Kafka.")
        {
            listen, dataDir, heartbeat, startDelay,
        };
        command.Aliases.Add("commander");
        flags.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var settings = new OrchestratorSettings(
                parse.GetValue(listen) ?? DefaultListen,
                parse.GetValue(flags.Kafka),
                parse.GetValue(flags.TopicPrefix),
                parse.GetValue(flags.KafkaConfig) ?? [],
                parse.GetValue(dataDir) ?? "kukai-data",
                ClusterFlags.ResolveToken(parse.GetValue(flags.Token)),
                parse.GetValue(flags.Id),
                TimeSpan.FromSeconds(parse.GetValue(heartbeat) ?? 5),
                TimeSpan.FromSeconds(parse.GetValue(startDelay) ?? 2),
                []);
            return await RunAsync(console, settings, ct).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>The orchestrator from a config file (<c>mode = "commander"</c>).</summary>
    public static Task<int> RunFromConfigAsync(IAnsiConsole console, KukaiConfig config, CancellationToken ct)
    {
        var listen = config.CommanderListen ?? config.EdgeCommanderAddress;
        HostPort? endpoint = null;
        if (listen is not null && !HostPort.TryParse(listen, allowPortZero: true, out endpoint, out var error))
        {
            throw new UsageException($"{config.Path}: commander.listen: '{listen}' {error}");
        }

        return RunAsync(console, new OrchestratorSettings(
            endpoint ?? DefaultListen, config.KafkaBootstrap, config.KafkaTopicPrefix, [], "kukai-data",
            ClusterFlags.ResolveToken(null), null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(2), config.CommanderEdges), ct);
    }

    private static async Task<int> RunAsync(IAnsiConsole console, OrchestratorSettings s, CancellationToken ct)
    {
        using var logging = CliLogging.Create();
        var logger = logging.CreateLogger("Kukai.Orchestrator");
        var id = s.Id ?? Guid.NewGuid().ToString("N")[..12];

        // Bad input is reported before anything starts (and logs).
        var listen = s.Listen.ToBindEndPoint();
        try
        {
            // An address this machine does not have, or a port in use (Kestrel binds for real later).
            using var probe = new Socket(listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            probe.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            probe.Bind(listen);
        }
        catch (SocketException ex)
        {
            throw new UsageException($"--listen: cannot bind {s.Listen}: {ex.Message}");
        }

        try
        {
            new ResultsRepository(s.DataDir).EnsureWritable();
        }
        catch (IOException ex)
        {
            throw new UsageException($"--data-dir: {ex.Message}");
        }

        await using var kafka = KafkaConnection.Open(s.Kafka, s.TopicPrefix, s.KafkaConfig, $"kukai-orchestrator-{id}", logging, embedWhenMissing: true);

        var options = new OrchestratorOptions
        {
            DataDir = s.DataDir,
            HeartbeatTimeout = s.HeartbeatTimeout,
            StartDelay = s.StartDelay,
            AllowedDrivers = s.AllowedDrivers,
            OrchestratorId = id,
            KafkaBootstrap = kafka.Bootstrap,
            Version = KukaiVersion.Current,
        };
        await using var runtime = new OrchestratorRuntime(kafka.Transport, options, TimeProvider.System, logging);
        OrchestratorServer server;
        try
        {
            server = await OrchestratorServer.StartAsync(new OrchestratorServerOptions(listen, s.Token, KukaiVersion.Current), runtime, logging, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            // In use (IOException from Kestrel), or not an address of this machine (SocketException).
            throw new UsageException($"--listen: cannot bind {s.Listen}: {ex.Message}");
        }

        await using (server.ConfigureAwait(false))
        {
            if (kafka.Embedded)
            {
                var address = $"{server.Address.Host}:{server.Address.Port}";
                logger.LogWarning("No --kafka given: using an embedded development Kafka cluster at {Bootstrap}; drivers join with --kafka {Bootstrap} or --orchestrator {Address}", kafka.Bootstrap, kafka.Bootstrap, address);
            }

            runtime.UploadBaseUrl = server.Address;
            try
            {
                await runtime.StartAsync(ct).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                throw new UsageException($"--data-dir: {ex.Message}");
            }

            console.WriteLine($"kukai orchestrator listening on {server.Address.ToString().TrimEnd('/')} kafka {kafka.Bootstrap}");
            try
            {
                await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            await server.StopAsync().ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }

    private sealed record OrchestratorSettings(
        HostPort Listen,
        string? Kafka,
        string? TopicPrefix,
        IReadOnlyList<string> KafkaConfig,
        string DataDir,
        string? Token,
        string? Id,
        TimeSpan HeartbeatTimeout,
        TimeSpan StartDelay,
        IReadOnlyList<string> AllowedDrivers);
}
