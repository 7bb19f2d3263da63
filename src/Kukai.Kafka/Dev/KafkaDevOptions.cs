namespace Kukai.Kafka.Dev;

/// <summary>What <c>kukai kafka-dev</c> starts. Immutable; <see cref="Validate"/> reports every problem at once.</summary>
public sealed record KafkaDevOptions
{
    /// <summary>Brokers of the mock cluster (<c>--brokers</c>), 1..32; default 3.</summary>
    public int Brokers { get; init; } = 3;

    /// <summary>Prefix of the pre-created topics (<c>--topic-prefix</c>); default <c>kukai.</c>.</summary>
    public string TopicPrefix { get; init; } = KafkaTopics.DefaultPrefix;

    /// <summary>Partitions of each pre-created topic (<c>--partitions</c>), 1..1000; default 3.</summary>
    public int Partitions { get; init; } = 3;

    /// <summary>Every problem, one line each naming the flag, the value and the rule; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Brokers is < 1 or > 32)
        {
            errors.Add($"--brokers {Brokers}: must be 1..32");
        }

        if (Partitions is < 1 or > 1000)
        {
            errors.Add($"--partitions {Partitions}: must be 1..1000");
        }

        if (KafkaTopics.CheckPrefix(TopicPrefix) is { } prefixError)
        {
            errors.Add($"--topic-prefix '{TopicPrefix}': {prefixError}");
        }

        return errors;
    }
}
