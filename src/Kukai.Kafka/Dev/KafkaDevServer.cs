using Microsoft.Extensions.Logging;

namespace Kukai.Kafka.Dev;

/// <summary>
/// <c>kukai kafka-dev</c>: a development Kafka cluster in this process (librdkafka's mock cluster) with the topics
/// pre-created, driven by fault-injection commands on standard input.
/// </summary>
public static class KafkaDevServer
{
    /// <summary>
    /// 1. Starts a <see cref="MockKafkaCluster"/> of <see cref="KafkaDevOptions.Brokers"/> brokers and creates the three
    ///    topics (replication min(3, brokers)).
    /// 2. Writes the bootstrap list as the first line of <paramref name="stdout"/>.
    /// 3. Answers each line of <paramref name="stdin"/> with one line <c>ok ...</c> or <c>error ...</c> (see
    ///    <c>help</c>). The end of <paramref name="stdin"/> (e.g. <c>/dev/null</c>) does not stop the server.
    /// 4. Runs until <paramref name="ct"/> is cancelled, then stops the cluster and returns.
    /// </summary>
    /// <exception cref="ArgumentException">Invalid options (every problem, one per line).</exception>
    public static async Task RunAsync(KafkaDevOptions options, TextReader stdin, TextWriter stdout, ILoggerFactory loggerFactory, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(stdin);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(options));
        }

        var logger = loggerFactory.CreateLogger(typeof(KafkaDevServer));

        // 1.
        using var cluster = new MockKafkaCluster(options.Brokers, loggerFactory);
        var topics = KafkaTopics.All(options.TopicPrefix);
        foreach (var topic in topics)
        {
            cluster.CreateTopic(topic, options.Partitions, Math.Min(3, options.Brokers));
        }

        KafkaDevLog.Started(logger, options.Brokers, cluster.BootstrapServers, string.Join(", ", topics), options.Partitions);

        // 2.
        await stdout.WriteLineAsync(cluster.BootstrapServers).ConfigureAwait(false);
        await stdout.FlushAsync(ct).ConfigureAwait(false);

        // 3.
        var commands = new KafkaDevCommands(cluster);
        try
        {
            while (await ReadLineAsync(stdin, ct).ConfigureAwait(false) is { } line)
            {
                if (line.Trim().Length == 0)
                {
                    continue;
                }

                var reply = commands.Execute(line);
                KafkaDevLog.CommandDone(logger, line.Trim(), reply);
                await stdout.WriteLineAsync(reply).ConfigureAwait(false);
                await stdout.FlushAsync(ct).ConfigureAwait(false);
            }

            KafkaDevLog.InputClosed(logger);

            // 4.
            await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }

        KafkaDevLog.Stopping(logger);
    }

    // Console.In reads synchronously even through ReadLineAsync: on the caller's thread it would block a stop (Ctrl+C,
    // SIGTERM) for as long as standard input stays open and quiet. Read on a pool thread and stop waiting on cancel; a
    // read still pending then is abandoned with the process.
    private static Task<string?> ReadLineAsync(TextReader stdin, CancellationToken ct) =>
        Task.Run(stdin.ReadLine, CancellationToken.None).WaitAsync(ct);
}
