namespace Kukai.Target.Http;

/// <summary>Maps a request path to a <see cref="Route"/>. Paths match ignoring case, like ASP.NET routing.</summary>
internal static class Routes
{
    public static Route Classify(string path) => path switch
    {
        "/ping" => Route.Ping,
        "/" or "" => Route.Root,
        _ when path.Equals("/ping", StringComparison.OrdinalIgnoreCase) => Route.Ping,
        _ when path.Equals("/metrics", StringComparison.OrdinalIgnoreCase) => Route.Metrics,
        _ when path.Equals("/metrics/reset", StringComparison.OrdinalIgnoreCase) => Route.MetricsReset,
        _ => Route.NotFound,
    };
}
