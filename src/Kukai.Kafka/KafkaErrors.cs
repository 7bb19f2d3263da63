using Confluent.Kafka;

namespace Kukai.Kafka;

/// <summary>Which Kafka errors retrying cannot fix.</summary>
internal static class KafkaErrors
{
    /// <summary>
    /// True for failures of configuration, permission or message shape; everything else (brokers down, leader moves,
    /// timeouts, full queues, throttling) is worth retrying.
    /// </summary>
    public static bool IsPermanent(ErrorCode code) => code switch
    {
        ErrorCode.MsgSizeTooLarge or ErrorCode.RecordListTooLarge
            or ErrorCode.TopicAuthorizationFailed or ErrorCode.ClusterAuthorizationFailed or ErrorCode.GroupAuthorizationFailed
            or ErrorCode.TransactionalIdAuthorizationFailed or ErrorCode.SaslAuthenticationFailed or ErrorCode.Local_Authentication
            or ErrorCode.TopicException or ErrorCode.Local_InvalidArg or ErrorCode.InvalidRequiredAcks
            or ErrorCode.InvalidConfig or ErrorCode.Local_KeySerialization or ErrorCode.Local_ValueSerialization
            or ErrorCode.Local_UnsupportedFeature or ErrorCode.UnsupportedForMessageFormat or ErrorCode.InvalidRecord => true,
        _ => false,
    };
}
