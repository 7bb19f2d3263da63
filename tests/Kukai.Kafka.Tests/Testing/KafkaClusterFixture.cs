using Kukai.Kafka.Dev;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kukai.Kafka.Tests.Testing;

/// <summary>
/// One mock Kafka cluster (3 brokers) for the tests of the <c>kafka</c> collection, which run one after another.
/// Each test takes its own topic prefix, so tests never see each other's messages.
/// </summary>
public sealed class KafkaClusterFixture : IDisposable
{
    public KafkaClusterFixture() => Cluster = new MockKafkaCluster(3);

    public MockKafkaCluster Cluster { get; }

    /// <summary>A fresh topic prefix whose three topics exist (3 partitions, replication 3), as <c>kukai kafka-dev</c> makes them.</summary>
    public string NewPrefix(MockKafkaCluster? cluster = null)
    {
        var prefix = UniquePrefix();
        foreach (var topic in KafkaTopics.All(prefix))
        {
            (cluster ?? Cluster).CreateTopic(topic, 3, 3);
        }

        return prefix;
    }

    public static string UniquePrefix() => "t" + Guid.NewGuid().ToString("N")[..10] + ".";

    public KafkaTransportOptions Options(string prefix, ILoggerFactory? loggerFactory = null, MockKafkaCluster? cluster = null, IReadOnlyDictionary<string, string>? settings = null) => new()
    {
        BootstrapServers = (cluster ?? Cluster).BootstrapServers,
        TopicPrefix = prefix,
        ClientId = "kukai-test",
        LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance,
        ClientSettings = settings ?? new Dictionary<string, string>(),
    };

    public void Dispose() => Cluster.Dispose();
}
