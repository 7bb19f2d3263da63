using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Logging;

namespace Kukai.Kafka;

/// <summary>
/// Makes sure the three topics exist: created through the admin API where the cluster supports it, otherwise left
/// to the brokers' automatic topic creation. Only standard Kafka behaviour is relied on.
/// </summary>
internal sealed class KafkaTopicInitializer(
    KafkaTransportOptions options,
    KafkaStatusTracker status,
    ILogger logger)
{
    /// <summary>
    /// Bound of each admin request. Clusters without the CreateTopics API in reach (no controller in the metadata,
    /// e.g. librdkafka's mock cluster) make the create request wait this long before Kukai falls back.
    /// </summary>
    public static readonly TimeSpan AdminTimeout = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>
    /// 1. Reads the cluster's metadata (retrying until a broker answers or <paramref name="ct"/> is cancelled).
    /// 2. Creates the missing topics with <see cref="KafkaTransportOptions.Partitions"/> partitions and a replication
    ///    factor of min(3, brokers); topics that already exist are fine.
    /// 3. Where the admin API is unsupported, refused or unreachable, asks for each missing topic's metadata, which lets
    ///    brokers with <c>auto.create.topics.enable</c> create it; a topic still missing is logged, not thrown: publishes
    ///    then wait for it.
    /// </summary>
    public async Task EnsureAsync(CancellationToken ct)
    {
        var names = KafkaTopics.All(options.TopicPrefix);
        var client = options.ClientId + "#admin";
        using var admin = new AdminClientBuilder(KafkaClientSettings.Admin(options))
            .SetLogHandler((_, m) => LogLibrdkafka(m))
            .SetErrorHandler((_, e) => status.OnClientError(client, e))
            .Build();

        // 1.
        var metadata = await ReadMetadataAsync(admin, ct).ConfigureAwait(false);
        status.MarkUp();
        var missing = new List<string>();
        foreach (var name in names)
        {
            if (!metadata.Topics.Exists(t => t.Topic == name && t.Error.Code == ErrorCode.NoError && t.Partitions.Count > 0))
            {
                missing.Add(name);
            }
        }

        if (missing.Count == 0)
        {
            KafkaLog.TopicsExist(logger, string.Join(", ", names));
            return;
        }

        // 2.
        var replication = (short)Math.Clamp(metadata.Brokers.Count, 1, 3);
        string reason;
        try
        {
            var specs = missing.ConvertAll(n => new TopicSpecification { Name = n, NumPartitions = options.Partitions, ReplicationFactor = replication });
            await admin.CreateTopicsAsync(specs, new CreateTopicsOptions { RequestTimeout = AdminTimeout, OperationTimeout = AdminTimeout }).WaitAsync(ct).ConfigureAwait(false);
            KafkaLog.TopicsCreated(logger, string.Join(", ", missing), options.Partitions, replication);
            return;
        }
        catch (CreateTopicsException ex)
        {
            var failed = ex.Results.FindAll(r => r.Error.Code is not (ErrorCode.NoError or ErrorCode.TopicAlreadyExists));
            var created = ex.Results.FindAll(r => r.Error.Code == ErrorCode.NoError);
            if (created.Count > 0)
            {
                KafkaLog.TopicsCreated(logger, string.Join(", ", created.Select(r => r.Topic)), options.Partitions, replication);
            }

            if (failed.Count == 0)
            {
                return;
            }

            missing = failed.ConvertAll(r => r.Topic);
            reason = failed[0].Error.Reason;
        }
        catch (KafkaException ex)
        {
            reason = ex.Error.Reason;
        }

        // 3.
        KafkaLog.CreateTopicsFallback(logger, string.Join(", ", missing), reason);
        foreach (var name in missing)
        {
            ct.ThrowIfCancellationRequested();
            Error error;
            try
            {
                var topic = admin.GetMetadata(name, AdminTimeout).Topics.Find(t => t.Topic == name);
                error = topic?.Error ?? new Error(ErrorCode.UnknownTopicOrPart);
            }
            catch (KafkaException ex)
            {
                error = ex.Error;
            }

            // Kafka answers the request that auto-creates a topic with LEADER_NOT_AVAILABLE while it is being created.
            if (error.Code is not (ErrorCode.NoError or ErrorCode.LeaderNotAvailable))
            {
                KafkaLog.TopicNotAvailable(logger, name, error.Reason);
            }
        }
    }

    private async Task<Metadata> ReadMetadataAsync(IAdminClient admin, CancellationToken ct)
    {
        var logged = false;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                // All topics: a request naming ours would let brokers auto-create them with their default partition count.
                return admin.GetMetadata(AdminTimeout);
            }
            catch (KafkaException ex)
            {
                status.MarkDown(ex.Error.Reason);
                if (!logged)
                {
                    KafkaLog.ClusterUnreachable(logger, options.BootstrapServers, ex.Error.Reason);
                    logged = true;
                }
            }

            await Task.Delay(RetryDelay, options.TimeProvider, ct).ConfigureAwait(false);
        }
    }

    private void LogLibrdkafka(LogMessage message)
    {
        var level = KafkaLog.ToLogLevel(message.Level);
        if (logger.IsEnabled(level))
        {
            KafkaLog.LibrdkafkaLog(logger, level, message.Name, message.Facility, message.Message);
        }
    }
}
