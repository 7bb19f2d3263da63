using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Confluent.Kafka;
using Kukai.Kafka.Native;

namespace Kukai.Kafka.Dev;

/// <summary>
/// Kafka error codes by name: librdkafka's (<c>NOT_LEADER_FOR_PARTITION</c>, <c>_TRANSPORT</c>), Confluent.Kafka's
/// (<c>NotLeaderForPartition</c>, <c>Local_Transport</c>) or the number, case, '_' and '-' ignored.
/// </summary>
internal static class KafkaErrorNames
{
    private static readonly Lazy<Dictionary<string, ErrorCode>> ByName = new(BuildNames);

    public static bool TryParse(string text, [NotNullWhen(true)] out ErrorCode? code)
    {
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) && Enum.IsDefined((ErrorCode)number))
        {
            code = (ErrorCode)number;
            return true;
        }

        if (ByName.Value.TryGetValue(Normalize(text), out var named))
        {
            code = named;
            return true;
        }

        code = null;
        return false;
    }

    /// <summary>librdkafka's name of <paramref name="code"/>, e.g. <c>NOT_LEADER_FOR_PARTITION</c>.</summary>
    public static string Name(ErrorCode code)
    {
        KafkaNative.EnsureLoaded();
        return LibRdKafka.Text(LibRdKafka.ErrorName((int)code));
    }

    private static Dictionary<string, ErrorCode> BuildNames()
    {
        var names = new Dictionary<string, ErrorCode>(StringComparer.Ordinal);

        // Broker errors first, so that they win over a local error whose name reads the same.
        foreach (var code in Enum.GetValues<ErrorCode>().OrderBy(c => (int)c < 0 ? 1 : 0))
        {
            names.TryAdd(Normalize(code.ToString()), code);
            names.TryAdd(Normalize(Name(code)), code);
        }

        return names;
    }

    private static string Normalize(string name) => name.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToUpperInvariant();
}
