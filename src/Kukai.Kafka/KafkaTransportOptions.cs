using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kukai.Kafka;

/// <summary>
/// How <see cref="KafkaTransport"/> reaches Kafka. Immutable; <see cref="Validate"/> reports every problem at once.
/// Build it from command-line flags with <see cref="KafkaTransportFactory"/>.
/// </summary>
public sealed record KafkaTransportOptions
{
    /// <summary>Bootstrap servers, <c>host:port[,host:port]</c> (<c>--kafka</c>). Required.</summary>
    public string BootstrapServers { get; init; } = "";

    /// <summary>Prefix of the three topic names (<c>--topic-prefix</c>); default <c>kukai.</c>.</summary>
    public string TopicPrefix { get; init; } = KafkaTopics.DefaultPrefix;

    /// <summary>
    /// librdkafka settings passed through unchanged to every client (<c>--kafka-config KEY=VALUE</c>: e.g.
    /// <c>security.protocol</c>, <c>sasl.*</c>, <c>ssl.*</c>). They override Kukai's tunable defaults; values are never
    /// logged. Settings Kukai relies on (idempotence, acks, groups, offsets) are rejected by validation.
    /// </summary>
    public IReadOnlyDictionary<string, string> ClientSettings { get; init; } = new Dictionary<string, string>();

    /// <summary>librdkafka <c>client.id</c> (shows in broker logs and quotas); default <c>kukai</c>.</summary>
    public string ClientId { get; init; } = "kukai";

    /// <summary>Partitions of each topic when Kukai creates it; default 3.</summary>
    public int Partitions { get; init; } = 3;

    /// <summary>Where the transport and librdkafka log; default none.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Clock for status timestamps and retry delays; default the system clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Why a bootstrap list is malformed, one reason per bad entry (without naming a flag); empty when it is not.</summary>
    public static IReadOnlyList<string> BootstrapProblems(string bootstrapServers) => KafkaClientSettings.BootstrapProblems(bootstrapServers);

    /// <summary>Every problem with these options, one line each naming the flag, the value and the rule; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        KafkaClientSettings.CheckBootstrapServers(BootstrapServers, errors);
        if (KafkaTopics.CheckPrefix(TopicPrefix) is { } prefixError)
        {
            errors.Add($"--topic-prefix '{TopicPrefix}': {prefixError}");
        }

        if (string.IsNullOrWhiteSpace(ClientId))
        {
            errors.Add("client id '': must not be empty");
        }

        if (Partitions is < 1 or > 10_000)
        {
            errors.Add($"partitions {Partitions}: must be 1..10000");
        }

        foreach (var (key, value) in ClientSettings)
        {
            KafkaClientSettings.CheckSetting(key, value, errors);
        }

        return errors;
    }
}
