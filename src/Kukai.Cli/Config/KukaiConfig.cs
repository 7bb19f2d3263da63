using Kukai.Engine.Plans;

namespace Kukai.Cli.Config;

/// <summary>
/// A whole config file (SPEC §2, the seed's <c>kukai_config.toml</c>): the role to run and its settings.
/// </summary>
public sealed record KukaiConfig
{
    /// <summary>The config file's path, for messages.</summary>
    public required string Path { get; init; }

    /// <summary><c>standalone</c> (default), <c>commander</c> or <c>edge</c>.</summary>
    public string Mode { get; init; } = "standalone";

    /// <summary>The test plan from <c>[load]</c>, when present.</summary>
    public LoadPlan? Plan { get; init; }

    /// <summary><c>[commander] edges</c>: hosts (or host:port) allowed to register as drivers; empty = any.</summary>
    public IReadOnlyList<string> CommanderEdges { get; init; } = [];

    /// <summary><c>[commander] listen</c>: the orchestrator's HTTP address.</summary>
    public string? CommanderListen { get; init; }

    /// <summary><c>[edge] commander_address</c>: the orchestrator's address as HOST:PORT.</summary>
    public string? EdgeCommanderAddress { get; init; }

    /// <summary><c>[edge] id</c>.</summary>
    public string? EdgeId { get; init; }

    /// <summary><c>[kafka] bootstrap</c>: bootstrap servers.</summary>
    public string? KafkaBootstrap { get; init; }

    /// <summary><c>[kafka] topic_prefix</c>.</summary>
    public string? KafkaTopicPrefix { get; init; }
}
