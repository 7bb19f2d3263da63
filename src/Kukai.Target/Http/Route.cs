namespace Kukai.Target.Http;

/// <summary>What a request path asks for.</summary>
internal enum Route
{
    /// <summary>Any other path: 404, still counted.</summary>
    NotFound,

    /// <summary><c>/</c>: a short text answer (so raw payloads such as <c>GET / HTTP/1.1</c> get one).</summary>
    Root,

    /// <summary><c>/ping</c>: <c>pong</c>, with optional <c>delay_ms</c> and <c>status</c>.</summary>
    Ping,

    /// <summary><c>/metrics</c>: the counters; never counted, never stalled.</summary>
    Metrics,

    /// <summary><c>/metrics/reset</c>: zeroes the counters; never counted, never stalled.</summary>
    MetricsReset,
}
