using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Kukai.Kafka;

/// <summary>
/// The Kafka transport's log messages. Event ids are stable: 1–9 topics, 10–19 producer, 20–29 consumer,
/// 30–39 client health and librdkafka's own lines. Setting values are never logged (they may be secrets).
/// </summary>
internal static partial class KafkaLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Created Kafka topics {Topics} ({Partitions} partitions, replication factor {ReplicationFactor})")]
    public static partial void TopicsCreated(ILogger logger, string topics, int partitions, int replicationFactor);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Kafka topics {Topics} exist")]
    public static partial void TopicsExist(ILogger logger, string topics);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information,
        Message = "Kafka topics {Topics} not created through the admin API ({Reason}); relying on automatic topic creation")]
    public static partial void CreateTopicsFallback(ILogger logger, string topics, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning,
        Message = "Kafka topic {Topic} is not available ({Reason}); create it, or enable auto.create.topics.enable on the brokers")]
    public static partial void TopicNotAvailable(ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Kafka cluster {BootstrapServers} not reachable yet ({Reason}); retrying")]
    public static partial void ClusterUnreachable(ILogger logger, string bootstrapServers, string reason);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Publishing to {Topic} failed ({Reason}); retrying")]
    public static partial void PublishRetry(ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 11, Level = LogLevel.Error, Message = "Publishing to {Topic} failed permanently: {Reason}")]
    public static partial void PublishFailed(ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 12, Level = LogLevel.Error, Message = "Kafka producer failed fatally ({Reason}); replacing it")]
    public static partial void ProducerReplaced(ILogger logger, string reason);

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Reading Kafka topics {Topics} ({Mode})")]
    public static partial void ConsumerStarted(ILogger logger, string topics, string mode);

    [LoggerMessage(EventId = 21, Level = LogLevel.Debug, Message = "Reading {Count} partitions of {Topics} from {Positions}")]
    public static partial void PartitionsAssigned(ILogger logger, int count, string topics, string positions);

    [LoggerMessage(EventId = 22, Level = LogLevel.Warning,
        Message = "Skipped {Count} undecodable Kafka message(s); last on {Topic} [{Partition}] at offset {Offset}: {Reason}")]
    public static partial void UndecodableSkipped(ILogger logger, long count, string topic, int partition, long offset, string reason);

    [LoggerMessage(EventId = 23, Level = LogLevel.Warning, Message = "Kafka consumer of {Topics}: {Reason}")]
    public static partial void ConsumeError(ILogger logger, string topics, string reason);

    [LoggerMessage(EventId = 24, Level = LogLevel.Debug, Message = "Stopped reading Kafka topics {Topics}")]
    public static partial void ConsumerStopped(ILogger logger, string topics);

    [LoggerMessage(EventId = 25, Level = LogLevel.Error, Message = "Kafka consumer of {Topics} stopped on an error of the message handler or the client")]
    public static partial void ConsumerFailed(ILogger logger, string topics, Exception exception);

    [LoggerMessage(EventId = 26, Level = LogLevel.Warning, Message = "Reading {Topics}: partition positions not known yet ({Reason}); retrying")]
    public static partial void PositionsUnavailable(ILogger logger, string topics, string reason);

    [LoggerMessage(EventId = 30, Message = "librdkafka {Client} {Facility}: {Text}")]
    public static partial void LibrdkafkaLog(ILogger logger, LogLevel level, string client, string facility, string text);

    [LoggerMessage(EventId = 31, Level = LogLevel.Debug, Message = "Kafka client {Client}: {Reason}")]
    public static partial void ClientError(ILogger logger, string client, string reason);

    [LoggerMessage(EventId = 32, Level = LogLevel.Critical, Message = "Kafka client {Client} failed fatally: {Reason}")]
    public static partial void ClientFatal(ILogger logger, string client, string reason);

    [LoggerMessage(EventId = 33, Level = LogLevel.Information, Message = "Connected to Kafka at {BootstrapServers}")]
    public static partial void Connected(ILogger logger, string bootstrapServers);

    [LoggerMessage(EventId = 34, Level = LogLevel.Warning, Message = "Lost connection to Kafka at {BootstrapServers}: {Reason}")]
    public static partial void Disconnected(ILogger logger, string bootstrapServers, string reason);

    /// <summary>
    /// librdkafka's syslog levels as log levels. Its error-level lines are mostly connection failures it recovers
    /// from by itself (and that the error callback also reports), so they log as warnings; fatal errors arrive through
    /// the error callback (<see cref="ClientFatal"/>).
    /// </summary>
    public static LogLevel ToLogLevel(SyslogLevel level) => level switch
    {
        SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical => LogLevel.Critical,
        SyslogLevel.Error or SyslogLevel.Warning => LogLevel.Warning,
        SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
        _ => LogLevel.Debug,
    };
}
