using Confluent.Kafka;
using Kukai.Cluster.Transport;
using Kukai.Kafka.Dev;
using Kukai.Kafka.Tests.Testing;

namespace Kukai.Kafka.Tests.Dev;

[Collection("kafka-faults")]
public sealed class KafkaDevServerTests
{
    [Fact]
    public async Task RunAsync_Started_FirstLineIsABootstrapListWithTheTopicsCreated()
    {
        var pipe = new LinePipe();
        using var cts = new CancellationTokenSource();
        var server = KafkaDevServer.RunAsync(new KafkaDevOptions { Brokers = 2, TopicPrefix = "dev.", Partitions = 4 }, pipe.Reader, pipe.Writer, new ListLoggerProvider().CreateFactory(), cts.Token);

        var bootstrap = await pipe.NextAsync();

        Assert.Matches(@"^127\.0\.0\.1:\d+,127\.0\.0\.1:\d+$", bootstrap);
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build())
        {
            var metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));
            Assert.Equal(2, metadata.Brokers.Count);
            foreach (var name in KafkaTopics.All("dev."))
            {
                Assert.Equal(4, Assert.Single(metadata.Topics, t => t.Topic == name).Partitions.Count);
            }
        }

        await using (var transport = new KafkaTransport(new KafkaTransportOptions { BootstrapServers = bootstrap, TopicPrefix = "dev." }))
        {
            await using var reader = await Reader.StartAsync(transport, null, ClusterTopic.Control);
            await transport.PublishAsync(ClusterTopic.Control, TestMessages.Heartbeat("d1", 1), CancellationToken.None);
            await reader.Messages.WaitForSeqsAsync("d1", [1]);
        }

        await cts.CancelAsync();
        await server.WaitAsync(MessageCollector.Deadline);
    }

    [Fact]
    public async Task RunAsync_FaultCommands_EachAnsweredWithOneOkLine()
    {
        var pipe = new LinePipe();
        using var cts = new CancellationTokenSource();
        var server = KafkaDevServer.RunAsync(new KafkaDevOptions { Brokers = 3 }, pipe.Reader, pipe.Writer, new ListLoggerProvider().CreateFactory(), cts.Token);
        var addresses = (await pipe.NextAsync()).Split(',');

        Assert.Equal($"ok 1={addresses[0]}(up) 2={addresses[1]}(up) 3={addresses[2]}(up)", await pipe.AskAsync("brokers"));
        Assert.Equal("ok broker 2 down", await pipe.AskAsync("broker down 2"));
        Assert.Equal("ok broker 1 rtt 25 ms", await pipe.AskAsync("broker rtt 1 25"));
        Assert.Equal($"ok 1={addresses[0]}(up,rtt=25ms) 2={addresses[1]}(down) 3={addresses[2]}(up)", await pipe.AskAsync("  brokers  "));
        Assert.Equal("ok broker 2 up", await pipe.AskAsync("BROKER UP 2"));
        Assert.Equal("ok next 3 produce requests fail with NOT_LEADER_FOR_PARTITION", await pipe.AskAsync("errors produce 3"));
        Assert.Equal("ok next 1 fetch requests fail with _TRANSPORT", await pipe.AskAsync("errors fetch 1 _TRANSPORT"));
        Assert.Equal("ok next 2 listoffsets requests fail with REQUEST_TIMED_OUT", await pipe.AskAsync("errors list-offsets 2 RequestTimedOut"));
        Assert.Equal("ok next 1 joingroup requests fail with COORDINATOR_NOT_AVAILABLE", await pipe.AskAsync("errors joingroup 1 15"));
        Assert.Equal("ok produce errors cleared", await pipe.AskAsync("errors produce clear"));
        Assert.Equal("ok topic extra created (2 partitions, replication 3)", await pipe.AskAsync("topic create extra 2"));
        Assert.StartsWith("ok commands:", await pipe.AskAsync("help"), StringComparison.Ordinal);

        await cts.CancelAsync();
        await server.WaitAsync(MessageCollector.Deadline);
    }

    [Fact]
    public async Task RunAsync_BadCommands_EachAnsweredWithOneErrorLineAndServerGoesOn()
    {
        (string Command, string ExpectedStart)[] cases =
        [
            ("frobnicate", "error unknown command 'frobnicate'"),
            ("broker down 4", "error broker id '4': expected a whole number 1..3"),
            ("broker down x", "error broker id 'x': expected a whole number 1..3"),
            ("broker sideways 1", "error unknown command 'broker sideways 1'"),
            ("broker rtt 1 -5", "error rtt (ms) '-5': expected a whole number 0..600000"),
            ("errors produce many", "error count 'many': expected a whole number 1..10000"),
            ("errors bogus 1", "error unknown request type 'bogus'"),
            ("errors produce 1 NO_SUCH_ERROR", "error unknown Kafka error 'NO_SUCH_ERROR'"),
            ("topic create bad/name 1", "error topic name 'bad/name'"),
            ("topic create kukai.control 3", "error mock cluster could not create topic kukai.control: TOPIC_ALREADY_EXISTS"),
            ("brokers now", "error unknown command 'brokers now'"),
        ];
        var pipe = new LinePipe();
        using var cts = new CancellationTokenSource();
        var server = KafkaDevServer.RunAsync(new KafkaDevOptions(), pipe.Reader, pipe.Writer, new ListLoggerProvider().CreateFactory(), cts.Token);
        await pipe.NextAsync();

        foreach (var (command, expectedStart) in cases)
        {
            var reply = await pipe.AskAsync(command);
            Assert.True(reply.StartsWith(expectedStart, StringComparison.Ordinal), $"'{command}' answered '{reply}'");
        }

        Assert.StartsWith("ok ", await pipe.AskAsync("brokers"), StringComparison.Ordinal);
        await cts.CancelAsync();
        await server.WaitAsync(MessageCollector.Deadline);
    }

    [Fact]
    public async Task RunAsync_StdinClosed_KeepsServingUntilCancelled()
    {
        var pipe = new LinePipe();
        var logs = new ListLoggerProvider();
        using var cts = new CancellationTokenSource();
        var server = KafkaDevServer.RunAsync(new KafkaDevOptions(), pipe.Reader, pipe.Writer, logs.CreateFactory(), cts.Token);
        var bootstrap = await pipe.NextAsync();

        pipe.Close();
        await WaitForLogAsync(logs, 102);

        Assert.False(server.IsCompleted);
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build())
        {
            Assert.Equal(3, admin.GetMetadata(TimeSpan.FromSeconds(10)).Brokers.Count);
        }

        await cts.CancelAsync();
        await server.WaitAsync(MessageCollector.Deadline);
    }

    [Fact]
    public async Task RunAsync_InvalidOptions_ThrowsNamingEveryFlag()
    {
        var pipe = new LinePipe();

        var ex = await Assert.ThrowsAsync<ArgumentException>(() =>
            KafkaDevServer.RunAsync(new KafkaDevOptions { Brokers = 0, Partitions = 0, TopicPrefix = "a b" }, pipe.Reader, pipe.Writer, new ListLoggerProvider().CreateFactory(), CancellationToken.None));

        Assert.Contains("--brokers 0", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--partitions 0", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--topic-prefix 'a b'", ex.Message, StringComparison.Ordinal);
    }

    private static async Task WaitForLogAsync(ListLoggerProvider logs, int eventId)
    {
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        var deadline = DateTime.UtcNow + MessageCollector.Deadline;
        while (!logs.Entries.Any(e => e.EventId.Id == eventId))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no log event {eventId}");
            await poll.WaitForNextTickAsync();
        }
    }
}
