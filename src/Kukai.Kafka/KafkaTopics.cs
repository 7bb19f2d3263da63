using Kukai.Cluster.Transport;

namespace Kukai.Kafka;

/// <summary>Kafka topic names of the cluster channels (SPEC §7): <c>&lt;prefix&gt;control</c>, <c>status</c>, <c>metrics</c>.</summary>
public static class KafkaTopics
{
    /// <summary>The prefix when <c>--topic-prefix</c> is not given.</summary>
    public const string DefaultPrefix = "kukai.";

    /// <summary>Every channel, in the order <see cref="All"/> names them.</summary>
    public static IReadOnlyList<ClusterTopic> Channels { get; } = [ClusterTopic.Control, ClusterTopic.Status, ClusterTopic.Metrics];

    /// <summary>The topic of <paramref name="topic"/> under <paramref name="prefix"/>.</summary>
    public static string Name(string prefix, ClusterTopic topic) => topic switch
    {
        ClusterTopic.Control => prefix + "control",
        ClusterTopic.Status => prefix + "status",
        ClusterTopic.Metrics => prefix + "metrics",
        _ => throw new ArgumentOutOfRangeException(nameof(topic), topic, "unknown cluster topic"),
    };

    /// <summary>The three topic names under <paramref name="prefix"/>.</summary>
    public static IReadOnlyList<string> All(string prefix) => [Name(prefix, ClusterTopic.Control), Name(prefix, ClusterTopic.Status), Name(prefix, ClusterTopic.Metrics)];

    /// <summary>Why <paramref name="prefix"/> cannot prefix a Kafka topic name, or null when it can.</summary>
    public static string? CheckPrefix(string prefix)
    {
        // Kafka topic names: at most 249 characters of [A-Za-z0-9._-]; the longest suffix is "metrics".
        const int maxPrefix = 249 - 7;
        if (prefix.Length > maxPrefix)
        {
            return $"at most {maxPrefix} characters";
        }

        foreach (var c in prefix)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return "Kafka topic names allow only ASCII letters, digits, '.', '_' and '-'";
            }
        }

        return null;
    }
}
