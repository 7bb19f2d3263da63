using Confluent.Kafka;
using Kukai.Kafka.Dev;
using Kukai.Kafka.Tests.Testing;

namespace Kukai.Kafka.Tests.Dev;

[Collection("kafka")]
public sealed class MockKafkaClusterTests(KafkaClusterFixture fixture)
{
    [Fact]
    public void Constructor_ThreeBrokers_IdsOneToThreeOnLoopbackPorts()
    {
        var cluster = fixture.Cluster;

        Assert.Equal([1, 2, 3], cluster.BrokerIds);
        Assert.Equal(3, cluster.BrokerAddresses.Count);
        Assert.All(cluster.BrokerAddresses, a => Assert.Matches(@"^127\.0\.0\.1:\d+$", a));
        Assert.Equal(string.Join(',', cluster.BrokerAddresses), cluster.BootstrapServers);
    }

    [Fact]
    public void CreateTopic_Twice_ThrowsNamingTheError()
    {
        var name = KafkaClusterFixture.UniquePrefix() + "twice";
        fixture.Cluster.CreateTopic(name, 2, 1);

        var ex = Assert.Throws<InvalidOperationException>(() => fixture.Cluster.CreateTopic(name, 2, 1));

        Assert.Contains("TOPIC_ALREADY_EXISTS", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateTopic_PartitionsAndLeaders_VisibleToClients()
    {
        var name = KafkaClusterFixture.UniquePrefix() + "seen";
        fixture.Cluster.CreateTopic(name, 5, 3);
        fixture.Cluster.SetPartitionLeader(name, 0, 2);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = fixture.Cluster.BootstrapServers }).Build();

        var topic = Assert.Single(admin.GetMetadata(name, TimeSpan.FromSeconds(10)).Topics);

        Assert.Equal(5, topic.Partitions.Count);
        Assert.Equal(2, topic.Partitions.Single(p => p.PartitionId == 0).Leader);
        Assert.All(topic.Partitions, p => Assert.Equal(3, p.Replicas.Length));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void SetBrokerDown_UnknownBroker_Throws(int broker)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => fixture.Cluster.SetBrokerDown(broker));
    }

    [Fact]
    public void SetBrokerDownAndUp_StateTracked()
    {
        using var cluster = new MockKafkaCluster(2);

        cluster.SetBrokerDown(2);
        Assert.False(cluster.IsBrokerUp(2));
        Assert.True(cluster.IsBrokerUp(1));
        cluster.SetBrokerUp(2);
        Assert.True(cluster.IsBrokerUp(2));
    }

    [Fact]
    public void Dispose_Twice_ThenUseThrowsObjectDisposed()
    {
        var cluster = new MockKafkaCluster(1);
        cluster.Dispose();
        cluster.Dispose();

        Assert.Throws<ObjectDisposedException>(() => cluster.SetBrokerUp(1));
    }
}
