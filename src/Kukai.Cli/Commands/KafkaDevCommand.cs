using System.CommandLine;
using Kukai.Cli.Options;
using Kukai.Kafka.Dev;

namespace Kukai.Cli.Commands;

/// <summary>
/// <c>kukai kafka-dev</c>: librdkafka's mock Kafka cluster in this process; its bootstrap list is the first line on
/// stdout; fault-injection commands are read from stdin (<c>help</c> lists them); runs until interrupted.
/// </summary>
public static class KafkaDevCommand
{
    public static Command Create()
    {
        var brokers = CliOptions.Int("--brokers", "number of brokers (default 3)", 1, 16);
        var prefix = CliOptions.Text("--topic-prefix", "prefix of the topics to create (default kukai.)", "PREFIX");
        var partitions = CliOptions.Int("--partitions", "partitions per topic (default 3)", 1, 256);
        var command = new Command("kafka-dev", "Run a development Kafka cluster (librdkafka's mock) and print its bootstrap address.")
        {
            brokers, prefix, partitions,
        };
        command.SetAction(async (parse, ct) =>
        {
            var options = new KafkaDevOptions
            {
                Brokers = parse.GetValue(brokers) ?? 3,
                TopicPrefix = parse.GetValue(prefix) ?? "kukai.",
                Partitions = parse.GetValue(partitions) ?? 3,
            };
            if (options.Validate() is { Count: > 0 } errors)
            {
                throw new UsageException(string.Join('\n', errors));
            }

            using var logging = CliLogging.Create();
            await KafkaDevServer.RunAsync(options, Console.In, Console.Out, logging, ct).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
