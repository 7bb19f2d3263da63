using System.Text.RegularExpressions;
using Kukai.TestSupport;

namespace Kukai.Cli.Tests.Security;

/// <summary>
/// Kafka security settings pass through to librdkafka (<c>--kafka-config KEY=VALUE</c>, repeatable; SPEC §6), and their
/// secret values stay out of the logs even when librdkafka is asked to print its configuration.
/// </summary>
public sealed partial class KafkaConfigTests
{
    private const string SaslPassword = "kafka-sasl-secret-e4a9";
    private const string KeyPassword = "kafka-key-secret-07bd";

    [Fact]
    public async Task Driver_KafkaConfig_ReachesLibrdkafkaWithSecretsRedacted()
    {
        await using var kafka = KukaiProcess.Start("kafka-dev", "--brokers", "1");
        var bootstrap = (await kafka.WaitForLineAsync(BootstrapLine(), TimeSpan.FromSeconds(90))).Value;

        // debug=conf makes librdkafka print every setting of each client it creates (logged at Debug).
        await using var driver = KukaiProcess.Start(
            [
                "driver", "--kafka", bootstrap, "--id", "kafka-config-driver",
                "--kafka-config", "security.protocol=PLAINTEXT", "--kafka-config", "debug=conf",
                "--kafka-config", $"sasl.password={SaslPassword}", "--kafka-config", $"ssl.key.password={KeyPassword}",
            ],
            environment: new Dictionary<string, string> { ["KUKAI_LOG_LEVEL"] = "Trace" });
        await driver.WaitForLineAsync(DriverReady(), TimeSpan.FromSeconds(90));

        var log = driver.Stderr;
        Assert.Contains(log, l => l.EndsWith(" security.protocol = plaintext", StringComparison.Ordinal));
        Assert.Contains(log, l => l.EndsWith(" sasl.password = [redacted]", StringComparison.Ordinal));
        Assert.Contains(log, l => l.EndsWith(" ssl.key.password = [redacted]", StringComparison.Ordinal));
        Assert.DoesNotContain(log.Concat(driver.Stdout), l => l.Contains(SaslPassword, StringComparison.Ordinal) || l.Contains(KeyPassword, StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^[^\s,:]+:\d+(,[^\s,:]+:\d+)*$")]
    private static partial Regex BootstrapLine();

    [GeneratedRegex(@"^kukai driver kafka-config-driver ready")]
    private static partial Regex DriverReady();
}
