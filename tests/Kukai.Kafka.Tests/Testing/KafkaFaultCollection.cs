namespace Kukai.Kafka.Tests.Testing;

/// <summary>
/// Fault tests break clusters of their own, so they run beside the <c>kafka</c> collection (mostly waiting on faults),
/// one after another among themselves.
/// </summary>
[CollectionDefinition("kafka-faults")]
public sealed class KafkaFaultCollection : ICollectionFixture<KafkaClusterFixture>;
