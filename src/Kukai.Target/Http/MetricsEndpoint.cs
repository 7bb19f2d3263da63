using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Kukai.Target.Http;

/// <summary>
/// <c>GET /metrics</c> (JSON, or Prometheus text with <c>?format=prometheus</c>) and <c>POST /metrics/reset</c>
/// (zeroes the counters, answers with the values it zeroed as JSON). Neither is counted nor held by a freeze:
/// observing the target must not change what it reports.
/// </summary>
internal sealed class MetricsEndpoint
{
    private const string JsonContentType = "application/json";
    private const string TextContentType = "text/plain";

    private readonly TargetCounters _counters;
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _startedAt;
    private readonly long _startTimestamp;

    public MetricsEndpoint(TargetCounters counters, TimeProvider time, DateTimeOffset startedAt, long startTimestamp)
    {
        _counters = counters;
        _time = time;
        _startedAt = startedAt;
        _startTimestamp = startTimestamp;
    }

    public Task HandleAsync(IFeatureCollection features, IHttpRequestFeature request, Route route)
    {
        if (route == Route.MetricsReset)
        {
            return HttpMethods.IsPost(request.Method)
                ? WriteJsonAsync(features, _counters.Reset())
                : WriteAsync(features, StatusCodes.Status405MethodNotAllowed, TextContentType, "use POST\n"u8.ToArray(), allow: "POST");
        }

        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            return WriteAsync(features, StatusCodes.Status405MethodNotAllowed, TextContentType, "use GET\n"u8.ToArray(), allow: "GET, HEAD");
        }

        var format = QueryParameters.TryGetLast(request.QueryString, "format", out var raw) ? QueryParameters.Decode(raw) : "json";
        if (format.Equals("json", StringComparison.OrdinalIgnoreCase))
        {
            return WriteJsonAsync(features, _counters.Snapshot());
        }

        if (format.Equals("prometheus", StringComparison.OrdinalIgnoreCase))
        {
            var text = MetricsPrometheus.Write(_counters.Snapshot(), _startedAt, UptimeSeconds());
            return WriteAsync(features, StatusCodes.Status200OK, MetricsPrometheus.ContentType, Encoding.UTF8.GetBytes(text));
        }

        var error = $"bad query parameter format={format}: must be json or prometheus\n";
        return WriteAsync(features, StatusCodes.Status400BadRequest, TextContentType, Encoding.UTF8.GetBytes(error));
    }

    private Task WriteJsonAsync(IFeatureCollection features, TargetCountersSnapshot snapshot)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        MetricsJson.Write(buffer, snapshot, _startedAt, UptimeSeconds());
        return WriteAsync(features, StatusCodes.Status200OK, JsonContentType, buffer.WrittenMemory);
    }

    private double UptimeSeconds() => _time.GetElapsedTime(_startTimestamp).TotalSeconds;

    private static async Task WriteAsync(IFeatureCollection features, int status, string contentType, ReadOnlyMemory<byte> body, string? allow = null)
    {
        var response = features.GetRequiredFeature<IHttpResponseFeature>();
        response.StatusCode = status;
        response.Headers.ContentType = contentType;
        response.Headers.ContentLength = body.Length;
        response.Headers.CacheControl = "no-store";
        if (allow is not null)
        {
            response.Headers.Allow = allow;
        }

        await features.GetRequiredFeature<IHttpResponseBodyFeature>().Writer.WriteAsync(body).ConfigureAwait(false);
    }
}
