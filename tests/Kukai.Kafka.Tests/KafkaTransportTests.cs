using Confluent.Kafka;
using Kukai.Cluster.Messages;
using Kukai.Cluster.Transport;
using Kukai.Kafka.Tests.Testing;
using Microsoft.Extensions.Logging;

namespace Kukai.Kafka.Tests;

[Collection("kafka")]
public sealed class KafkaTransportTests(KafkaClusterFixture fixture)
{
    [Fact]
    public async Task PublishAsync_MessagesOfEveryTopic_ArriveDecodedOnTheirTopics()
    {
        var prefix = fixture.NewPrefix();
        await using var transport = new KafkaTransport(fixture.Options(prefix));
        await using var control = await Reader.StartAsync(transport, null, ClusterTopic.Control);
        await using var reports = await Reader.StartAsync(transport, null, ClusterTopic.Status, ClusterTopic.Metrics);
        ClusterMessage[] controlSent = [TestMessages.Start("test-1", "d1", "d2"), TestMessages.Stop("test-1")];
        ClusterMessage[] reportsSent = [TestMessages.Register("d1"), TestMessages.Heartbeat("d1", 1), TestMessages.Report("d1", "test-1", 1)];

        foreach (var message in controlSent)
        {
            await transport.PublishAsync(ClusterTopic.Control, message, CancellationToken.None);
        }

        await transport.PublishAsync(ClusterTopic.Status, reportsSent[0], CancellationToken.None);
        await transport.PublishAsync(ClusterTopic.Status, reportsSent[1], CancellationToken.None);
        await transport.PublishAsync(ClusterTopic.Metrics, reportsSent[2], CancellationToken.None);

        var controlGot = await control.Messages.WaitUntilAsync(ms => ms.Count >= 2, "2 control messages");
        var reportsGot = await reports.Messages.WaitUntilAsync(ms => ms.Count >= 3, "3 status/metrics messages");
        Assert.Equal(Encoded(controlSent), Encoded(controlGot));
        Assert.Equal(Encoded(reportsSent).Order(), Encoded(reportsGot).Order());
        Assert.True(transport.Status.Connected, transport.Status.Detail);
    }

    [Fact]
    public async Task ConsumeAsync_WithoutGroup_EveryReaderSeesEveryMessageInOrder()
    {
        var prefix = fixture.NewPrefix();
        await using var orchestrator = new KafkaTransport(fixture.Options(prefix));
        await using var driver1 = new KafkaTransport(fixture.Options(prefix));
        await using var driver2 = new KafkaTransport(fixture.Options(prefix));
        await using var reader1 = await Reader.StartAsync(driver1, null, ClusterTopic.Control);
        await using var reader2 = await Reader.StartAsync(driver2, null, ClusterTopic.Control);

        for (var seq = 1; seq <= 20; seq++)
        {
            await orchestrator.PublishAsync(ClusterTopic.Control, TestMessages.Heartbeat("orch", seq), CancellationToken.None);
        }

        foreach (var reader in new[] { reader1, reader2 })
        {
            await reader.Messages.WaitForSeqsAsync("orch", Enumerable.Range(1, 20).Select(i => (long)i));
            Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), reader.Messages.Snapshot().Select(m => m.Seq));
        }
    }

    [Fact]
    public async Task ConsumeAsync_WithoutGroup_MessagesPublishedBeforeSubscribingAreNotSeen()
    {
        var prefix = fixture.NewPrefix();
        await using var transport = new KafkaTransport(fixture.Options(prefix));
        for (var seq = 1; seq <= 5; seq++)
        {
            await transport.PublishAsync(ClusterTopic.Control, TestMessages.Heartbeat("old", seq), CancellationToken.None);
        }

        await using var reader = await Reader.StartAsync(transport, null, ClusterTopic.Control);
        for (var seq = 1; seq <= 5; seq++)
        {
            await transport.PublishAsync(ClusterTopic.Control, TestMessages.Heartbeat("new", seq), CancellationToken.None);
        }

        // The last key's message last: with per-key order every earlier message of "new" is in by then; "old" messages,
        // had they been read, would sit before them in their partitions.
        await transport.PublishAsync(ClusterTopic.Control, TestMessages.Heartbeat("new", 6), CancellationToken.None);
        var got = await reader.Messages.WaitForSeqsAsync("new", [1, 2, 3, 4, 5, 6]);
        Assert.Equal("new#1 new#2 new#3 new#4 new#5 new#6", MessageCollector.Describe(got));
    }

    [Fact]
    public async Task ConsumeAsync_GroupRestarted_ResumesAfterItsCommittedPosition()
    {
        var prefix = fixture.NewPrefix();
        var group = "orchestrator-" + Guid.NewGuid().ToString("N");
        await using var driver = new KafkaTransport(fixture.Options(prefix));
        await using var orchestrator = new KafkaTransport(fixture.Options(prefix));

        var first = await Reader.StartAsync(orchestrator, group, ClusterTopic.Status, ClusterTopic.Metrics);
        for (var seq = 1; seq <= 3; seq++)
        {
            await driver.PublishAsync(ClusterTopic.Status, TestMessages.Heartbeat("d1", seq), CancellationToken.None);
        }

        await first.Messages.WaitForSeqsAsync("d1", [1, 2, 3]);
        await first.StopAsync();
        await first.DisposeAsync();

        for (var seq = 4; seq <= 6; seq++)
        {
            await driver.PublishAsync(ClusterTopic.Status, TestMessages.Heartbeat("d1", seq), CancellationToken.None);
        }

        await using var second = await Reader.StartAsync(orchestrator, group, ClusterTopic.Status, ClusterTopic.Metrics);
        await driver.PublishAsync(ClusterTopic.Status, TestMessages.Heartbeat("d1", 7), CancellationToken.None);
        var got = await second.Messages.WaitForSeqsAsync("d1", [4, 5, 6, 7]);

        Assert.Equal("d1#1 d1#2 d1#3", MessageCollector.Describe(first.Messages.Snapshot()));
        Assert.Equal("d1#4 d1#5 d1#6 d1#7", MessageCollector.Describe(got));
    }

    [Fact]
    public async Task ConsumeAsync_UndecodableBytes_SkippedWithOneWarningAndLaterMessagesArrive()
    {
        var prefix = fixture.NewPrefix();
        var logs = new ListLoggerProvider();
        await using var transport = new KafkaTransport(fixture.Options(prefix, logs.CreateFactory()));
        await using var reader = await Reader.StartAsync(transport, null, ClusterTopic.Control);
        using (var raw = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = fixture.Cluster.BootstrapServers }).Build())
        {
            foreach (var junk in new[] { "not json"u8.ToArray(), """{"type":"no-such-type","seq":1}"""u8.ToArray(), [0xff, 0xfe, 0x00] })
            {
                await raw.ProduceAsync(KafkaTopics.Name(prefix, ClusterTopic.Control), new Message<string, byte[]> { Key = "d1", Value = junk });
            }
        }

        await transport.PublishAsync(ClusterTopic.Control, TestMessages.Heartbeat("d1", 1), CancellationToken.None);

        var got = await reader.Messages.WaitForSeqsAsync("d1", [1]);
        Assert.Single(got);
        var warning = Assert.Single(logs.Entries, e => e.EventId.Id == 22);
        Assert.Equal(LogLevel.Warning, warning.Level);
    }

    [Fact]
    public async Task EnsureTopicsAsync_ClusterWithoutCreateTopicsApi_FallsBackQuietlyAndTopicsWork()
    {
        var prefix = KafkaClusterFixture.UniquePrefix();
        var logs = new ListLoggerProvider();
        await using var transport = new KafkaTransport(fixture.Options(prefix, logs.CreateFactory()));

        await transport.EnsureTopicsAsync(CancellationToken.None);

        await using var reader = await Reader.StartAsync(transport, null, ClusterTopic.Control, ClusterTopic.Status, ClusterTopic.Metrics);
        await transport.PublishAsync(ClusterTopic.Control, TestMessages.Heartbeat("d1", 1), CancellationToken.None);
        await transport.PublishAsync(ClusterTopic.Status, TestMessages.Heartbeat("d1", 2), CancellationToken.None);
        await transport.PublishAsync(ClusterTopic.Metrics, TestMessages.Heartbeat("d1", 3), CancellationToken.None);
        await reader.Messages.WaitForSeqsAsync("d1", [1, 2, 3]);
        Assert.Contains(logs.Entries, e => e.EventId.Id == 3 && e.Level == LogLevel.Information);
        Assert.DoesNotContain(logs.Entries, e => e.EventId.Id == 4 || e.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task PublishAsync_MessageLargerThanAllowed_ThrowsClusterTransportException()
    {
        var prefix = fixture.NewPrefix();
        var settings = new Dictionary<string, string> { ["message.max.bytes"] = "1000" };
        await using var transport = new KafkaTransport(fixture.Options(prefix, settings: settings));
        var big = TestMessages.Register("d1") with { Host = new string('x', 5000) };

        var ex = await Assert.ThrowsAsync<ClusterTransportException>(() => transport.PublishAsync(ClusterTopic.Status, big, CancellationToken.None));
        Assert.Contains(KafkaTopics.Name(prefix, ClusterTopic.Status), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishAsync_SecretSettingPassedThrough_NeverLogged()
    {
        var prefix = fixture.NewPrefix();
        var logs = new ListLoggerProvider();
        var settings = new Dictionary<string, string> { ["sasl.username"] = "kukai", ["sasl.password"] = "hunter2-secret", ["debug"] = "conf,broker" };
        await using (var transport = new KafkaTransport(fixture.Options(prefix, logs.CreateFactory(), settings: settings)))
        {
            await using var reader = await Reader.StartAsync(transport, "g-" + prefix, ClusterTopic.Status);
            await transport.PublishAsync(ClusterTopic.Status, TestMessages.Heartbeat("d1", 1), CancellationToken.None);
            await reader.Messages.WaitForSeqsAsync("d1", [1]);
        }

        Assert.Contains(logs.Entries, e => e.EventId.Id == 30);
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains("hunter2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Status_BeforeAnyContact_NotConnectedAndNamesTheServers()
    {
        await using var transport = new KafkaTransport(fixture.Options(fixture.NewPrefix()));

        var status = transport.Status;

        Assert.False(status.Connected);
        Assert.Contains(fixture.Cluster.BootstrapServers, status.Detail, StringComparison.Ordinal);
    }

    private static string[] Encoded(IEnumerable<ClusterMessage> messages) =>
        messages.Select(m => Convert.ToBase64String(ClusterMessageCodec.Encode(m))).ToArray();
}
