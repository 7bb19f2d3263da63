using Microsoft.Extensions.Logging;

namespace Kukai.Kafka.Dev;

/// <summary>The development cluster's log messages. Event ids are stable: 100–109.</summary>
internal static partial class KafkaDevLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Kafka dev cluster: {Brokers} brokers at {BootstrapServers}; topics {Topics} ({Partitions} partitions)")]
    public static partial void Started(ILogger logger, int brokers, string bootstrapServers, string topics, int partitions);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Fault injection '{Command}': {Reply}")]
    public static partial void CommandDone(ILogger logger, string command, string reply);

    [LoggerMessage(EventId = 102, Level = LogLevel.Debug, Message = "Standard input closed; the dev cluster runs until stopped")]
    public static partial void InputClosed(ILogger logger);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Kafka dev cluster stopping")]
    public static partial void Stopping(ILogger logger);
}
