namespace Kukai.Kafka.Tests.Testing;

/// <summary>Kafka tests on the shared mock cluster run one after another (the machine has two cores).</summary>
[CollectionDefinition("kafka")]
public sealed class KafkaCollection : ICollectionFixture<KafkaClusterFixture>;
