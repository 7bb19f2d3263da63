namespace Kukai.Target;

/// <summary>
/// The target's counters at one moment (see <see cref="TargetCounters"/> for what each one counts).
/// Served as JSON by <c>GET /metrics</c>.
/// </summary>
/// <param name="RequestsReceived">HTTP requests received (on arrival; <c>/metrics</c> excluded).</param>
/// <param name="ResponsesSent">HTTP responses completed.</param>
/// <param name="RequestsAborted">Requests given up without a response.</param>
/// <param name="BytesReceived">HTTP request body bytes read.</param>
/// <param name="StatusCounts">Completed responses by status code, ascending; only codes seen.</param>
/// <param name="InFlight">Requests received and not yet answered or aborted.</param>
/// <param name="Stalls">Freeze windows that held at least one arrival.</param>
/// <param name="StalledRequests">Arrivals (HTTP requests, TCP chunks) that waited for a freeze to end.</param>
/// <param name="Tcp">Raw-TCP echo counters; null when the echo listener is off.</param>
public sealed record TargetCountersSnapshot(
    long RequestsReceived,
    long ResponsesSent,
    long RequestsAborted,
    long BytesReceived,
    IReadOnlyDictionary<int, long> StatusCounts,
    long InFlight,
    long Stalls,
    long StalledRequests,
    TcpCountersSnapshot? Tcp);
