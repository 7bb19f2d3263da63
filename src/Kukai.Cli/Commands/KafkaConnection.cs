using Kukai.Cluster.Transport;
using Kukai.Kafka;
using Kukai.Kafka.Dev;
using Microsoft.Extensions.Logging;

namespace Kukai.Cli.Commands;

/// <summary>
/// Opens the Kafka transport for a role from its flags, with one-line errors naming the flag. The orchestrator may
/// run without <c>--kafka</c>: it then embeds a development cluster (librdkafka's mock) and says so.
/// </summary>
internal sealed class KafkaConnection : IAsyncDisposable
{
    private readonly MockKafkaCluster? _embedded;

    private KafkaConnection(KafkaTransport transport, string bootstrap, MockKafkaCluster? embedded)
    {
        Transport = transport;
        Bootstrap = bootstrap;
        _embedded = embedded;
    }

    public KafkaTransport Transport { get; }

    public string Bootstrap { get; }

    /// <summary>True when this process hosts its own development cluster.</summary>
    public bool Embedded => _embedded is not null;

    public static KafkaConnection Open(string? bootstrap, string? topicPrefix, IReadOnlyList<string> kafkaConfig, string clientId, ILoggerFactory logs, bool embedWhenMissing)
    {
        MockKafkaCluster? embedded = null;
        try
        {
            if (string.IsNullOrWhiteSpace(bootstrap))
            {
                if (!embedWhenMissing)
                {
                    throw new UsageException("--kafka: the Kafka bootstrap servers are required (HOST:PORT[,HOST:PORT]; 'kukai kafka-dev' starts a development cluster)");
                }

                // --kafka-config is checked before the cluster starts, so that bad settings are the only output.
                if (!KafkaTransportFactory.TryCreateOptions("127.0.0.1:9092", topicPrefix, kafkaConfig, clientId, logs, out _, out var early))
                {
                    throw new UsageException(string.Join('\n', early));
                }

                embedded = new MockKafkaCluster(1, logs);
                foreach (var topic in KafkaTopics.All(topicPrefix ?? KafkaTopics.DefaultPrefix))
                {
                    embedded.CreateTopic(topic, 3, 1);
                }

                bootstrap = embedded.BootstrapServers;
            }

            if (!KafkaTransportFactory.TryCreateOptions(bootstrap, topicPrefix, kafkaConfig, clientId, logs, out var options, out var errors))
            {
                throw new UsageException(string.Join('\n', errors));
            }

            return new KafkaConnection(KafkaTransportFactory.Create(options), bootstrap, embedded);
        }
        catch (ClusterTransportException ex)
        {
            embedded?.Dispose();
            throw new InvalidOperationException(ex.Message, ex);
        }
        catch
        {
            embedded?.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Transport.DisposeAsync().ConfigureAwait(false);
        _embedded?.Dispose();
    }
}
