using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Kukai.Target.Http;

/// <summary>
/// Writes <c>GET /metrics</c> as JSON (camelCase):
/// <c>{ requestsReceived, responsesSent, requestsAborted, bytesReceived, statusCounts: { "200": n },
/// inFlight, stalls, stalledRequests, startedAt, uptimeSeconds, tcp: { connectionsAccepted,
/// connectionsOpen, reads, bytesReceived, bytesSent } | null }</c>. <c>startedAt</c> is UTC ISO 8601.
/// </summary>
internal static class MetricsJson
{
    public static void Write(IBufferWriter<byte> output, TargetCountersSnapshot counters, DateTimeOffset startedAt, double uptimeSeconds)
    {
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteNumber("requestsReceived", counters.RequestsReceived);
        json.WriteNumber("responsesSent", counters.ResponsesSent);
        json.WriteNumber("requestsAborted", counters.RequestsAborted);
        json.WriteNumber("bytesReceived", counters.BytesReceived);
        json.WriteStartObject("statusCounts");
        foreach (var (status, count) in counters.StatusCounts)
        {
            json.WriteNumber(status.ToString(CultureInfo.InvariantCulture), count);
        }

        json.WriteEndObject();
        json.WriteNumber("inFlight", counters.InFlight);
        json.WriteNumber("stalls", counters.Stalls);
        json.WriteNumber("stalledRequests", counters.StalledRequests);
        json.WriteString("startedAt", startedAt.UtcDateTime);
        json.WriteNumber("uptimeSeconds", Math.Round(uptimeSeconds, 3));
        if (counters.Tcp is { } tcp)
        {
            json.WriteStartObject("tcp");
            json.WriteNumber("connectionsAccepted", tcp.ConnectionsAccepted);
            json.WriteNumber("connectionsOpen", tcp.ConnectionsOpen);
            json.WriteNumber("reads", tcp.Reads);
            json.WriteNumber("bytesReceived", tcp.BytesReceived);
            json.WriteNumber("bytesSent", tcp.BytesSent);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("tcp");
        }

        json.WriteEndObject();
    }
}
