using System.Diagnostics.CodeAnalysis;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kukai.Engine.Plans;

namespace Kukai.Cluster.Messages;

/// <summary>Messages to and from their JSON bytes (camelCase; <c>type</c> may appear anywhere in the object).</summary>
public static class ClusterMessageCodec
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>
    /// The largest plan a start message carries: one Kafka message holds 1 000 000 bytes by default (the producer's
    /// <c>message.max.bytes</c>), and the rest of the message (driver ids, times) needs room too.
    /// </summary>
    public const int MaxPlanBytes = 900_000;

    public static byte[] Encode(ClusterMessage message) => JsonSerializer.SerializeToUtf8Bytes(message, Options);

    /// <summary>The bytes <paramref name="plan"/> takes in a message.</summary>
    public static int PlanBytes(LoadPlan plan) => JsonSerializer.SerializeToUtf8Bytes(plan, Options).Length;

    /// <summary>Decodes untrusted bytes; false with a one-line reason when they are not a known message.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> json, [NotNullWhen(true)] out ClusterMessage? message, [NotNullWhen(false)] out string? error)
    {
        try
        {
            message = JsonSerializer.Deserialize<ClusterMessage>(json, Options);
            if (message is null)
            {
                error = "null message";
                return false;
            }

            if (message is ReportMessage report)
            {
                message = report with { Wire = json.ToArray() }; // journaled as received, not encoded again
            }

            error = null;
            return true;
        }
        catch (JsonException ex)
        {
            message = null;
            error = ex.Message;
            return false;
        }
        catch (NotSupportedException ex)
        {
            message = null;
            error = ex.Message;
            return false;
        }
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            AllowOutOfOrderMetadataProperties = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            // Text as UTF-8, not \uXXXX: a payload of Japanese text took twice the bytes (messages are never HTML).
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.Converters.Add(new LoadPlanJsonConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
