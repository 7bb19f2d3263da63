using Microsoft.Extensions.Logging.Abstractions;

namespace Kukai.Kafka.Tests;

public sealed class KafkaTransportFactoryTests
{
    [Fact]
    public void TryCreateOptions_ValidFlags_SettingsPassedThroughUnchanged()
    {
        string[] config = ["security.protocol=SASL_SSL", "sasl.mechanisms=PLAIN", "sasl.username=kukai", "sasl.password=p=w", "ssl.ca.location=/etc/ssl/ca.pem"];

        var ok = KafkaTransportFactory.TryCreateOptions("broker1:9092, broker2:9093", "lt.", config, "driver-7", NullLoggerFactory.Instance, out var options, out var errors);

        Assert.True(ok, string.Join(Environment.NewLine, errors));
        Assert.NotNull(options);
        Assert.Equal("broker1:9092, broker2:9093", options.BootstrapServers);
        Assert.Equal("lt.", options.TopicPrefix);
        Assert.Equal("driver-7", options.ClientId);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["security.protocol"] = "SASL_SSL",
                ["sasl.mechanisms"] = "PLAIN",
                ["sasl.username"] = "kukai",
                ["sasl.password"] = "p=w",
                ["ssl.ca.location"] = "/etc/ssl/ca.pem",
            },
            options.ClientSettings);
    }

    [Fact]
    public void TryCreateOptions_NoPrefixOrClientId_Defaults()
    {
        Assert.True(KafkaTransportFactory.TryCreateOptions("127.0.0.1:9092", null, [], null, NullLoggerFactory.Instance, out var options, out _));

        Assert.Equal("kukai.", options.TopicPrefix);
        Assert.Equal("kukai", options.ClientId);
        Assert.Empty(options.ClientSettings);
    }

    [Fact]
    public void TryCreateOptions_BadFlags_OneLinePerProblemNamingFlagAndValue()
    {
        string[] config =
        [
            "security.protocol",
            "=PLAINTEXT",
            "no.such.setting=1",
            "security.protocol=carrier-pigeon",
            "acks=1",
            "group.id=mine",
            "socket.timeout.ms=5000",
            "socket.timeout.ms=6000",
        ];

        var ok = KafkaTransportFactory.TryCreateOptions("broker1:9092,broker2", "bad prefix", config, null, NullLoggerFactory.Instance, out var options, out var errors);

        Assert.False(ok);
        Assert.Null(options);
        Assert.Equal(
            [
                "--kafka-config 'security.protocol': expected KEY=VALUE (e.g. security.protocol=SASL_SSL)",
                "--kafka-config '=***': expected KEY=VALUE (e.g. security.protocol=SASL_SSL)",
                "--kafka-config 'no.such.setting=1': unknown librdkafka setting 'no.such.setting'",
                "--kafka-config 'security.protocol=carrier-pigeon': ",
                "--kafka-config 'acks=1': 'acks' is set by Kukai (Kukai's producer always uses acks=all)",
                "--kafka-config 'group.id=mine': 'group.id' is set by Kukai (groups are chosen by each role)",
                "--kafka-config 'socket.timeout.ms=6000': 'socket.timeout.ms' given more than once",
                "--kafka 'broker1:9092,broker2': 'broker2' is not HOST:PORT (port 1..65535)",
                "--topic-prefix 'bad prefix': ",
            ],
            errors.Select(e => e.StartsWith("--kafka-config 'security.protocol=carrier-pigeon': ", StringComparison.Ordinal) || e.StartsWith("--topic-prefix", StringComparison.Ordinal)
                ? e[..(e.IndexOf("': ", StringComparison.Ordinal) + 3)]
                : e));
        Assert.All(errors, e => Assert.DoesNotContain('\n', e));
    }

    [Theory]
    [InlineData("")]
    [InlineData("host")]
    [InlineData("host:0")]
    [InlineData("host:99999")]
    [InlineData(":9092")]
    [InlineData("a:1,,b:2")]
    public void TryCreateOptions_BadBootstrapServers_NamesTheKafkaFlag(string bootstrap)
    {
        Assert.False(KafkaTransportFactory.TryCreateOptions(bootstrap, null, [], null, NullLoggerFactory.Instance, out _, out var errors));

        Assert.StartsWith($"--kafka '{bootstrap}'", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:9092")]
    [InlineData("SASL_SSL://kafka-1.example.com:9094,kafka-2.example.com:9094")]
    [InlineData("[::1]:9092")]
    public void TryCreateOptions_GoodBootstrapServers_Accepted(string bootstrap)
    {
        Assert.True(KafkaTransportFactory.TryCreateOptions(bootstrap, null, [], null, NullLoggerFactory.Instance, out _, out var errors), string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public void TryCreateOptions_SecretInABadEntry_ValueNeverShown()
    {
        string[] config = ["sasl.password=hunter2", "sasl.password=hunter3", "ssl.key.password=hunter4", "ssl.key.password=hunter5", "sasl.jaas.config=hunter6"];

        Assert.False(KafkaTransportFactory.TryCreateOptions("127.0.0.1:9092", null, config, null, NullLoggerFactory.Instance, out _, out var errors));

        Assert.Equal(3, errors.Count);
        Assert.Equal("--kafka-config 'sasl.password=***': 'sasl.password' given more than once", errors[0]);
        Assert.Equal("--kafka-config 'ssl.key.password=***': 'ssl.key.password' given more than once", errors[1]);
        Assert.StartsWith("--kafka-config 'sasl.jaas.config=***': ", errors[2], StringComparison.Ordinal);
        Assert.All(errors, e => Assert.DoesNotContain("hunter", e, StringComparison.Ordinal));
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsListingEveryProblem()
    {
        var ex = Assert.Throws<ArgumentException>(() => new KafkaTransport(new KafkaTransportOptions { BootstrapServers = "", Partitions = 0 }));

        Assert.Contains("--kafka ''", ex.Message, StringComparison.Ordinal);
        Assert.Contains("partitions 0", ex.Message, StringComparison.Ordinal);
    }
}
