using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace Kukai.Kafka.Dev;

/// <summary>
/// The fault-injection commands of <c>kukai kafka-dev</c>, one per line; each answered with one line starting
/// <c>ok</c> or <c>error</c>.
/// </summary>
internal sealed class KafkaDevCommands(MockKafkaCluster cluster)
{
    public const string Help =
        "commands: brokers | broker down ID | broker up ID | broker rtt ID MS | errors API COUNT [ERROR] | errors API clear | topic create NAME PARTITIONS [REPLICATION] | help";

    private const ErrorCode DefaultError = ErrorCode.NotLeaderForPartition;

    /// <summary>Runs one command line; the reply line (never throws for bad input).</summary>
    public string Execute(string line)
    {
        var words = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 0)
        {
            return "error empty command; " + Help;
        }

        try
        {
            return (words[0].ToLowerInvariant(), words.Length) switch
            {
                ("brokers", 1) => Brokers(),
                ("broker", 3) when Is(words[1], "down") => BrokerDown(words[2]),
                ("broker", 3) when Is(words[1], "up") => BrokerUp(words[2]),
                ("broker", 4) when Is(words[1], "rtt") => BrokerRtt(words[2], words[3]),
                ("errors", 3) when Is(words[2], "clear") => ClearErrors(words[1]),
                ("errors", 3 or 4) => PushErrors(words[1], words[2], words.Length == 4 ? words[3] : null),
                ("topic", 4 or 5) when Is(words[1], "create") => CreateTopic(words[2], words[3], words.Length == 5 ? words[4] : null),
                ("help", 1) => "ok " + Help,
                _ => $"error unknown command '{line.Trim()}'; " + Help,
            };
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return "error " + FirstLine(ex.Message);
        }
    }

    private string Brokers()
    {
        var reply = new StringBuilder("ok");
        for (var i = 0; i < cluster.BrokerIds.Count; i++)
        {
            var id = cluster.BrokerIds[i];
            reply.Append(CultureInfo.InvariantCulture, $" {id}={cluster.BrokerAddresses[i]}({(cluster.IsBrokerUp(id) ? "up" : "down")}");
            if (cluster.BrokerRttMs(id) > 0)
            {
                reply.Append(CultureInfo.InvariantCulture, $",rtt={cluster.BrokerRttMs(id)}ms");
            }

            reply.Append(')');
        }

        return reply.ToString();
    }

    private string BrokerDown(string id)
    {
        var broker = Broker(id);
        cluster.SetBrokerDown(broker);
        return $"ok broker {broker} down";
    }

    private string BrokerUp(string id)
    {
        var broker = Broker(id);
        cluster.SetBrokerUp(broker);
        return $"ok broker {broker} up";
    }

    private string BrokerRtt(string id, string ms)
    {
        var broker = Broker(id);
        var rtt = Number(ms, "rtt (ms)", 0, 600_000);
        cluster.SetBrokerRtt(broker, rtt);
        return $"ok broker {broker} rtt {rtt} ms";
    }

    private string PushErrors(string api, string count, string? error)
    {
        var apiKey = Api(api);
        var n = Number(count, "count", 1, 10_000);
        ErrorCode code = DefaultError;
        if (error is not null)
        {
            if (!KafkaErrorNames.TryParse(error, out var parsed))
            {
                throw new ArgumentException($"unknown Kafka error '{error}' (a name such as NOT_LEADER_FOR_PARTITION, or a code)");
            }

            code = parsed.Value;
        }

        var errors = new ErrorCode[n];
        Array.Fill(errors, code);
        cluster.PushRequestErrors(apiKey, errors);
        return $"ok next {n} {ApiName(apiKey)} requests fail with {KafkaErrorNames.Name(code)}";
    }

    private string ClearErrors(string api)
    {
        var apiKey = Api(api);
        cluster.ClearRequestErrors(apiKey);
        return $"ok {ApiName(apiKey)} errors cleared";
    }

    private string CreateTopic(string name, string partitions, string? replication)
    {
        if (KafkaTopics.CheckPrefix(name) is { } nameError)
        {
            throw new ArgumentException($"topic name '{name}': {nameError}");
        }

        var p = Number(partitions, "partitions", 1, 1000);
        var r = replication is null ? Math.Min(3, cluster.BrokerIds.Count) : Number(replication, "replication", 1, cluster.BrokerIds.Count);
        cluster.CreateTopic(name, p, r);
        return $"ok topic {name} created ({p} partitions, replication {r})";
    }

    private int Broker(string text) => Number(text, "broker id", 1, cluster.BrokerIds.Count);

    private static KafkaApiKey Api(string text)
    {
        var normalized = text.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        if (Enum.TryParse<KafkaApiKey>(normalized, ignoreCase: true, out var key) && Enum.IsDefined(key) && !char.IsAsciiDigit(normalized[0]))
        {
            return key;
        }

        if (short.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return (KafkaApiKey)number;
        }

        throw new ArgumentException($"unknown request type '{text}' (one of {string.Join(", ", Enum.GetNames<KafkaApiKey>().Select(n => n.ToLowerInvariant()))}, or an ApiKey number)");
    }

    private static string ApiName(KafkaApiKey key) => Enum.IsDefined(key) ? key.ToString().ToLowerInvariant() : "ApiKey " + ((short)key).ToString(CultureInfo.InvariantCulture);

    private static int Number(string text, string what, int min, int max)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new ArgumentException($"{what} '{text}': expected a whole number {min}..{max}");
        }

        return value;
    }

    private static bool Is(string word, string expected) => word.Equals(expected, StringComparison.OrdinalIgnoreCase);

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }
}
