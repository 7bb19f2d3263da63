using System.Globalization;
using System.Runtime.InteropServices;
using Kukai.Kafka.Native;

namespace Kukai.Kafka;

/// <summary>
/// The librdkafka settings of each client Kukai builds, and the checks on settings users pass through. Precedence:
/// Kukai's tunable defaults, then the user's settings, then the settings the transport's guarantees rest on.
/// </summary>
internal static unsafe class KafkaClientSettings
{
    /// <summary>Session timeout of group consumers: short, so a restarted orchestrator rejoins quickly (Kafka's minimum).</summary>
    public const int SessionTimeoutMs = 6000;

    // Settings the transport's guarantees rest on (idempotent acks=all producer, manual or group offsets); users may
    // not override them. The value says why, for the error line.
    private static readonly Dictionary<string, string> Reserved = new(StringComparer.Ordinal)
    {
        ["bootstrap.servers"] = "use --kafka",
        ["metadata.broker.list"] = "use --kafka",
        ["group.id"] = "groups are chosen by each role",
        ["enable.idempotence"] = "Kukai's producer is always idempotent",
        ["acks"] = "Kukai's producer always uses acks=all",
        ["request.required.acks"] = "Kukai's producer always uses acks=all",
        ["enable.auto.commit"] = "offsets are committed after each message is handled",
        ["enable.auto.offset.store"] = "offsets are committed after each message is handled",
        ["auto.offset.reset"] = "readers start at the end of each partition",
        ["enable.partition.eof"] = "not used by Kukai",
        ["transactional.id"] = "Kukai does not use transactions",
    };

    // Substrings of setting names whose values are secrets: never logged, never echoed in errors.
    private static readonly string[] SecretMarkers = ["password", "secret", "token", "jaas", "oauthbearer.config", "key.pem", "credential"];

    /// <summary>True when the value of setting <paramref name="key"/> must never appear in logs or messages.</summary>
    public static bool IsSecret(string key)
    {
        foreach (var marker in SecretMarkers)
        {
            if (key.Contains(marker, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>KEY=VALUE</c> as shown in messages: the value is masked when it is a secret.</summary>
    public static string Display(string key, string value) => IsSecret(key) ? key + "=***" : key + "=" + value;

    /// <summary>Why a bootstrap list is malformed, one reason per bad entry (naming no flag); empty when it is not.</summary>
    public static IReadOnlyList<string> BootstrapProblems(string bootstrapServers)
    {
        if (string.IsNullOrWhiteSpace(bootstrapServers))
        {
            return ["bootstrap servers required (HOST:PORT[,HOST:PORT])"];
        }

        var problems = new List<string>();
        foreach (var raw in bootstrapServers.Split(','))
        {
            var entry = raw.Trim();
            var schemeEnd = entry.IndexOf("://", StringComparison.Ordinal);
            var address = schemeEnd >= 0 ? entry[(schemeEnd + 3)..] : entry;
            var colon = address.LastIndexOf(':');
            var host = colon > 0 ? address[..colon] : "";
            var hostOk = host.Length > 0 && (host[0] != '[' || host[^1] == ']') && !host.Contains(' ', StringComparison.Ordinal);
            var portOk = colon > 0 && int.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535;
            if (!hostOk || !portOk)
            {
                problems.Add($"'{entry}' is not HOST:PORT (port 1..65535)");
            }
        }

        return problems;
    }

    /// <summary>Adds an error line for each malformed entry of a <c>--kafka</c> bootstrap list.</summary>
    public static void CheckBootstrapServers(string bootstrapServers, List<string> errors) =>
        errors.AddRange(BootstrapProblems(bootstrapServers).Select(why => $"--kafka '{bootstrapServers}': {why}"));

    /// <summary>
    /// Adds an error line when <paramref name="key"/>=<paramref name="value"/> is reserved, or unknown or invalid for
    /// librdkafka (checked by librdkafka itself, so the rules are always those of the installed version).
    /// </summary>
    public static void CheckSetting(string key, string value, List<string> errors)
    {
        var shown = Display(key, value);
        if (key.Length == 0 || key.Trim().Length != key.Length)
        {
            errors.Add($"--kafka-config '{shown}': expected KEY=VALUE with a librdkafka setting name as KEY");
            return;
        }

        if (Reserved.TryGetValue(key, out var why))
        {
            errors.Add($"--kafka-config '{shown}': '{key}' is set by Kukai ({why})");
            return;
        }

        if (LibrdkafkaRejects(key, value) is { } reason)
        {
            if (IsSecret(key) && value.Length > 0)
            {
                reason = reason.Replace(value, "***", StringComparison.Ordinal);
            }

            errors.Add($"--kafka-config '{shown}': {reason}");
        }
    }

    /// <summary>
    /// Parses repeated <c>--kafka-config KEY=VALUE</c> entries into settings; every malformed, duplicate, reserved or
    /// invalid one adds an error line.
    /// </summary>
    public static Dictionary<string, string> Parse(IReadOnlyList<string> entries, List<string> errors)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var eq = entry.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                // No key to judge secrecy by: show only what precedes a possible value.
                errors.Add($"--kafka-config '{(eq < 0 ? entry : "=***")}': expected KEY=VALUE (e.g. security.protocol=SASL_SSL)");
                continue;
            }

            var key = entry[..eq];
            var value = entry[(eq + 1)..];
            if (settings.ContainsKey(key))
            {
                errors.Add($"--kafka-config '{Display(key, value)}': '{key}' given more than once");
                continue;
            }

            var before = errors.Count;
            CheckSetting(key, value, errors);
            if (errors.Count == before)
            {
                settings[key] = value;
            }
        }

        return settings;
    }

    /// <summary>Settings of the idempotent producer.</summary>
    public static List<KeyValuePair<string, string>> Producer(KafkaTransportOptions options) => Build(options,
        [
            // A publish waits through broker outages of this long before librdkafka gives up on the message (Kukai
            // then sends it again until the caller's token is cancelled).
            new("message.timeout.ms", "30000"),
            new("linger.ms", "5"),
        ],
        [
            new("enable.idempotence", "true"),
            new("acks", "all"),
        ]);

    /// <summary>Settings of a consumer: in <paramref name="group"/>, or alone (null) with a private, never-joined group id.</summary>
    public static List<KeyValuePair<string, string>> Consumer(KafkaTransportOptions options, string? group) => Build(options,
        [
            new("session.timeout.ms", SessionTimeoutMs.ToString(CultureInfo.InvariantCulture)),
            new("heartbeat.interval.ms", "2000"),
            new("auto.commit.interval.ms", "1000"),
            // Bounds an idle fetch only on real brokers (they answer as data arrives); librdkafka's mock cluster
            // answers after the full wait, so this is also its delivery latency.
            new("fetch.wait.max.ms", "100"),
        ],
        [
            new("group.id", group ?? "kukai-reader-" + Guid.NewGuid().ToString("N")),

            // Group readers commit (in the background and on close) only offsets stored after the handler returned.
            new("enable.auto.commit", group is null ? "false" : "true"),
            new("enable.auto.offset.store", "false"),
            new("auto.offset.reset", "latest"),
            new("enable.partition.eof", "false"),
        ]);

    /// <summary>Settings of the admin client that creates topics.</summary>
    public static List<KeyValuePair<string, string>> Admin(KafkaTransportOptions options) => Build(options, [], []);

    private static List<KeyValuePair<string, string>> Build(
        KafkaTransportOptions options,
        KeyValuePair<string, string>[] defaults,
        KeyValuePair<string, string>[] enforced)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["client.id"] = options.ClientId,

            // Reconnect fast after a short broker outage (librdkafka's default backs off up to 10 s).
            ["reconnect.backoff.ms"] = "100",
            ["reconnect.backoff.max.ms"] = "1000",

            // Broker states for TransportStatus.
            ["statistics.interval.ms"] = "5000",
        };
        foreach (var (key, value) in defaults)
        {
            settings[key] = value;
        }

        foreach (var (key, value) in options.ClientSettings)
        {
            settings[key] = value;
        }

        foreach (var (key, value) in enforced)
        {
            settings[key] = value;
        }

        settings["bootstrap.servers"] = options.BootstrapServers;
        return [.. settings];
    }

    private static string? LibrdkafkaRejects(string key, string value)
    {
        KafkaNative.EnsureLoaded();
        const int errorSize = 512;
        var errorText = stackalloc byte[errorSize];
        var conf = LibRdKafka.ConfNew();
        try
        {
            var result = LibRdKafka.ConfSet(conf, key, value, errorText, errorSize);
            return result switch
            {
                LibRdKafka.ConfOk => null,
                LibRdKafka.ConfUnknown => $"unknown librdkafka setting '{key}'",
                _ => Marshal.PtrToStringUTF8((nint)errorText) is { Length: > 0 } text ? text : $"invalid value for '{key}'",
            };
        }
        finally
        {
            LibRdKafka.ConfDestroy(conf);
        }
    }
}
