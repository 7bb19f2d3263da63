using Confluent.Kafka;
using Kukai.Cluster.Messages;
using Kukai.Cluster.Transport;
using Kukai.Kafka.Dev;
using Kukai.Kafka.Tests.Testing;

namespace Kukai.Kafka.Tests;

/// <summary>Faults injected into a cluster of the test's own: brokers down, slow, or failing requests.</summary>
[Collection("kafka-faults")]
public sealed class KafkaTransportFaultTests(KafkaClusterFixture fixture)
{
    private static readonly string[] Drivers = ["d1", "d2", "d3"];

    /// <summary>How long a fault lasts: the shape of the fault, not a wait for anything.</summary>
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task PublishAsync_LeaderDownForThreeSeconds_EveryMessageDeliveredOnceInOrderPerDriver()
    {
        using var cluster = new MockKafkaCluster(3);
        var prefix = fixture.NewPrefix(cluster);
        LeadAllPartitions(cluster, prefix, 1);
        await using var transport = new KafkaTransport(fixture.Options(prefix, cluster: cluster));
        await using var reader = await Reader.StartAsync(transport, null, ClusterTopic.Status);
        await PublishAllAsync(transport, 1, 10);

        cluster.SetBrokerDown(1);
        var duringOutage = PublishAll(transport, 11, 30);
        await Task.Delay(Outage);
        Assert.DoesNotContain(duringOutage, t => t.IsCompleted);
        cluster.SetBrokerUp(1);
        await Task.WhenAll(duringOutage).WaitAsync(MessageCollector.Deadline);

        await AssertEachOnceInOrderAsync(transport, reader, 30);
    }

    [Fact]
    public async Task PublishAsync_ProduceRequestsFail_IdempotentRetriesDeliverEachOnceInOrder()
    {
        using var cluster = new MockKafkaCluster(3);
        var prefix = fixture.NewPrefix(cluster);
        await using var transport = new KafkaTransport(fixture.Options(prefix, cluster: cluster));
        await using var reader = await Reader.StartAsync(transport, null, ClusterTopic.Status);
        await PublishAllAsync(transport, 1, 1);

        cluster.PushRequestErrors(
            KafkaApiKey.Produce,
            ErrorCode.NotLeaderForPartition,
            ErrorCode.RequestTimedOut,
            ErrorCode.NotEnoughReplicas,
            ErrorCode.Local_Transport,
            ErrorCode.NotEnoughReplicasAfterAppend,
            ErrorCode.LeaderNotAvailable);
        await Task.WhenAll(PublishAll(transport, 2, 30)).WaitAsync(MessageCollector.Deadline);

        await AssertEachOnceInOrderAsync(transport, reader, 30);
    }

    [Fact]
    public async Task ConsumeAsync_FetchRequestsFail_ReaderContinuesAndSeesEverything()
    {
        using var cluster = new MockKafkaCluster(3);
        var prefix = fixture.NewPrefix(cluster);
        await using var transport = new KafkaTransport(fixture.Options(prefix, cluster: cluster));
        await using var reader = await Reader.StartAsync(transport, null, ClusterTopic.Status);

        var errors = new List<ErrorCode>();
        for (var i = 0; i < 2; i++)
        {
            errors.AddRange([ErrorCode.NotLeaderForPartition, ErrorCode.LeaderNotAvailable, ErrorCode.Local_Transport, ErrorCode.UnknownTopicOrPart]);
        }

        cluster.PushRequestErrors(KafkaApiKey.Fetch, [.. errors]);
        await PublishAllAsync(transport, 1, 20);

        await AssertEachOnceInOrderAsync(transport, reader, 20);
    }

    [Fact]
    public async Task Status_OnlyBrokerDownThenUp_DisconnectedWithLastErrorThenConnectedAgain()
    {
        using var cluster = new MockKafkaCluster(1);
        var prefix = KafkaClusterFixture.UniquePrefix();
        foreach (var topic in KafkaTopics.All(prefix))
        {
            cluster.CreateTopic(topic, 1, 1);
        }

        await using var transport = new KafkaTransport(fixture.Options(prefix, cluster: cluster));
        await transport.PublishAsync(ClusterTopic.Status, TestMessages.Heartbeat("d1", 1), CancellationToken.None);
        Assert.True(transport.Status.Connected);

        cluster.SetBrokerDown(1);
        await WaitForStatusAsync(transport, connected: false);
        var down = transport.Status;
        cluster.SetBrokerUp(1);
        await transport.PublishAsync(ClusterTopic.Status, TestMessages.Heartbeat("d1", 2), CancellationToken.None);

        Assert.NotNull(down.LastError);
        Assert.Contains(cluster.BootstrapServers, down.Detail, StringComparison.Ordinal);
        Assert.True(transport.Status.Connected, transport.Status.Detail);
    }

    private static async Task WaitForStatusAsync(KafkaTransport transport, bool connected)
    {
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        var deadline = DateTime.UtcNow + MessageCollector.Deadline;
        while (transport.Status.Connected != connected)
        {
            Assert.True(DateTime.UtcNow < deadline, $"status never became connected={connected}: {transport.Status.Detail}");
            await poll.WaitForNextTickAsync();
        }
    }

    private static void LeadAllPartitions(MockKafkaCluster cluster, string prefix, int broker)
    {
        foreach (var topic in KafkaTopics.All(prefix))
        {
            for (var p = 0; p < 3; p++)
            {
                cluster.SetPartitionLeader(topic, p, broker);
            }
        }
    }

    // Publishes seq from..to of every driver, each driver's messages in order, all without waiting in between.
    private static List<Task> PublishAll(KafkaTransport transport, int from, int to)
    {
        var tasks = new List<Task>();
        for (var seq = from; seq <= to; seq++)
        {
            foreach (var driver in Drivers)
            {
                tasks.Add(transport.PublishAsync(ClusterTopic.Status, TestMessages.Heartbeat(driver, seq), CancellationToken.None));
            }
        }

        return tasks;
    }

    private static Task PublishAllAsync(KafkaTransport transport, int from, int to) =>
        Task.WhenAll(PublishAll(transport, from, to)).WaitAsync(MessageCollector.Deadline);

    // Every driver's 1..count arrived exactly once, in order. A final marker per driver goes after them: a duplicate
    // would sit before it in the driver's partition, so once the markers are in, every duplicate would be too.
    private static async Task AssertEachOnceInOrderAsync(KafkaTransport transport, Reader reader, int count)
    {
        const long marker = 1_000_000;
        await PublishAllAsync(transport, (int)marker, (int)marker);
        foreach (var driver in Drivers)
        {
            await reader.Messages.WaitForSeqsAsync(driver, [marker]);
        }

        var got = reader.Messages.Snapshot();
        foreach (var driver in Drivers)
        {
            var seqs = got.Where(m => m.DriverId == driver).Select(m => m.Seq).ToList();
            Assert.Equal([.. Enumerable.Range(1, count).Select(i => (long)i), marker], seqs);
        }

        Assert.Equal(Drivers.Length * (count + 1), got.Count);
        Assert.All(got, m => Assert.IsType<HeartbeatMessage>(m));
    }
}
