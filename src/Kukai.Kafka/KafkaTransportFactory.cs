using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;

namespace Kukai.Kafka;

/// <summary>Builds a <see cref="KafkaTransport"/> from the command line's flags (<c>--kafka</c>, <c>--topic-prefix</c>, <c>--kafka-config</c>).</summary>
public static class KafkaTransportFactory
{
    /// <summary>
    /// Checks the flags and turns them into options. False with every problem, one line each naming the flag and its
    /// value (secret values masked), e.g. <c>--kafka-config 'sasl.mechanism=XYZ': ...</c>.
    /// </summary>
    /// <param name="bootstrapServers"><c>--kafka HOST:PORT[,HOST:PORT]</c>.</param>
    /// <param name="topicPrefix"><c>--topic-prefix</c>; null for <c>kukai.</c>.</param>
    /// <param name="kafkaConfig">Every <c>--kafka-config KEY=VALUE</c>, in order.</param>
    /// <param name="clientId">librdkafka <c>client.id</c>, e.g. the node id; null for <c>kukai</c>.</param>
    /// <param name="loggerFactory">Where the transport logs.</param>
    /// <param name="options">The options when valid.</param>
    /// <param name="errors">Every problem; empty when valid.</param>
    /// <exception cref="Cluster.Transport.ClusterTransportException">librdkafka is not installed.</exception>
    public static bool TryCreateOptions(
        string? bootstrapServers,
        string? topicPrefix,
        IReadOnlyList<string> kafkaConfig,
        string? clientId,
        ILoggerFactory loggerFactory,
        [NotNullWhen(true)] out KafkaTransportOptions? options,
        out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(kafkaConfig);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var found = new List<string>();
        var settings = KafkaClientSettings.Parse(kafkaConfig, found);
        var candidate = new KafkaTransportOptions
        {
            BootstrapServers = bootstrapServers?.Trim() ?? "",
            TopicPrefix = topicPrefix ?? KafkaTopics.DefaultPrefix,
            ClientId = string.IsNullOrWhiteSpace(clientId) ? "kukai" : clientId,
            ClientSettings = settings,
            LoggerFactory = loggerFactory,
        };

        // Settings were checked while parsing; check the rest without reporting them twice.
        found.AddRange((candidate with { ClientSettings = new Dictionary<string, string>() }).Validate());
        errors = found;
        options = found.Count == 0 ? candidate : null;
        return options is not null;
    }

    /// <summary>The transport for valid options (see <see cref="TryCreateOptions"/>).</summary>
    public static KafkaTransport Create(KafkaTransportOptions options) => new(options);
}
