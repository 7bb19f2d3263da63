using System.Globalization;
using System.Text;

namespace Kukai.Target.Http;

/// <summary>
/// Writes <c>GET /metrics?format=prometheus</c> in the Prometheus text exposition format 0.0.4: every metric
/// has <c># HELP</c> and <c># TYPE</c> lines, names start with <c>kukai_target_</c>, counters end in
/// <c>_total</c>. The <c>kukai_target_tcp_*</c> metrics appear only when the TCP echo listener runs.
/// </summary>
internal static class MetricsPrometheus
{
    /// <summary>The exposition format's media type.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Write(TargetCountersSnapshot counters, DateTimeOffset startedAt, double uptimeSeconds)
    {
        var text = new StringBuilder(2048);
        Counter(text, "kukai_target_requests_received_total", "HTTP requests received, counted on arrival (/metrics excluded).", counters.RequestsReceived);
        Counter(text, "kukai_target_responses_sent_total", "HTTP responses completed.", counters.ResponsesSent);
        Counter(text, "kukai_target_requests_aborted_total", "HTTP requests given up without a response (client gone, server stopping).", counters.RequestsAborted);
        Counter(text, "kukai_target_bytes_received_total", "HTTP request body bytes read.", counters.BytesReceived);

        Header(text, "kukai_target_responses_total", "HTTP responses completed, by status code.", "counter");
        foreach (var (status, count) in counters.StatusCounts)
        {
            text.Append(CultureInfo.InvariantCulture, $"kukai_target_responses_total{{code=\"{status}\"}} {count}\n");
        }

        Gauge(text, "kukai_target_in_flight_requests", "HTTP requests received and not yet answered.", counters.InFlight);
        Counter(text, "kukai_target_stalls_total", "Freeze windows that held at least one arrival.", counters.Stalls);
        Counter(text, "kukai_target_stalled_requests_total", "Arrivals (HTTP requests, TCP chunks) that waited for a freeze to end.", counters.StalledRequests);
        Gauge(text, "kukai_target_start_time_seconds", "Server start, in seconds since the Unix epoch.", startedAt.ToUnixTimeMilliseconds() / 1000.0);
        Gauge(text, "kukai_target_uptime_seconds", "Seconds since the server started.", Math.Round(uptimeSeconds, 3));

        if (counters.Tcp is { } tcp)
        {
            Counter(text, "kukai_target_tcp_connections_accepted_total", "Raw-TCP echo connections accepted.", tcp.ConnectionsAccepted);
            Gauge(text, "kukai_target_tcp_connections_open", "Raw-TCP echo connections open.", tcp.ConnectionsOpen);
            Counter(text, "kukai_target_tcp_reads_total", "Raw-TCP chunks read (each echoed back at once).", tcp.Reads);
            Counter(text, "kukai_target_tcp_bytes_received_total", "Raw-TCP bytes read.", tcp.BytesReceived);
            Counter(text, "kukai_target_tcp_bytes_sent_total", "Raw-TCP bytes echoed back.", tcp.BytesSent);
        }

        return text.ToString();
    }

    private static void Counter(StringBuilder text, string name, string help, long value)
    {
        Header(text, name, help, "counter");
        text.Append(CultureInfo.InvariantCulture, $"{name} {value}\n");
    }

    private static void Gauge(StringBuilder text, string name, string help, double value)
    {
        Header(text, name, help, "gauge");
        text.Append(CultureInfo.InvariantCulture, $"{name} {value}\n");
    }

    private static void Header(StringBuilder text, string name, string help, string type) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n");
}
