using System.CommandLine;

namespace Kukai.Cli.Options;

/// <summary>The common flags of the distributed roles (SPEC §1, §6, §7).</summary>
public sealed class ClusterFlags
{
    public Option<string?> Kafka { get; } = CliOptions.Text("--kafka", "Kafka bootstrap servers HOST:PORT[,HOST:PORT]", "HOSTS");

    public Option<string?> TopicPrefix { get; } = CliOptions.Text("--topic-prefix", "prefix of the Kafka topics (default kukai.)", "PREFIX");

    public Option<string[]> KafkaConfig { get; } = new("--kafka-config")
    {
        Description = "a Kafka client setting passed through, e.g. security.protocol=SASL_SSL (repeatable)",
        HelpName = "KEY=VALUE",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string?> Id { get; } = CliOptions.Id("--id", "this node's id (generated and printed when absent)");

    public Option<string?> Token { get; } = CliOptions.Text("--token", "API bearer token (or env KUKAI_TOKEN)", "TOKEN");

    public void AddTo(Command command)
    {
        command.Options.Add(Kafka);
        command.Options.Add(TopicPrefix);
        command.Options.Add(KafkaConfig);
        command.Options.Add(Id);
        command.Options.Add(Token);
    }

    /// <summary>The token from <c>--token</c> or <c>KUKAI_TOKEN</c>.</summary>
    public static string? ResolveToken(string? flag) =>
        flag ?? (Environment.GetEnvironmentVariable("KUKAI_TOKEN") is { Length: > 0 } env ? env : null);
}
