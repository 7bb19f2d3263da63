using System.Collections.Immutable;
using System.Text;
using Kukai.Engine.Plans;

namespace Kukai.Engine.Protocols;

/// <summary>
/// What every request of a plan carries, independent of the target: HTTP method, headers and body, or the raw-TCP
/// payload and how a raw-TCP reply ends.
/// </summary>
/// <param name="Method">HTTP method, e.g. GET.</param>
/// <param name="Headers">Extra HTTP headers, in order. A Host header here replaces the one derived from the url.</param>
/// <param name="Body">HTTP request body, or the raw-TCP payload.</param>
/// <param name="KeepAlive">Raw TCP: reuse the connection; otherwise connect, send, read, close per request.</param>
/// <param name="ResponseBytes">Raw TCP: the reply is complete after this many bytes.</param>
/// <param name="ResponseDelimiter">Raw TCP: the reply is complete when it contains these bytes (empty: not used).</param>
/// <param name="HttpVersion">"1.1" or "2".</param>
/// <param name="Insecure">https: accept any server certificate.</param>
/// <param name="TimeoutMs">Per-request timeout; used by channels that enforce it themselves (HttpClient based).</param>
public sealed record RequestTemplate(
    string Method,
    ImmutableArray<KeyValuePair<string, string>> Headers,
    ReadOnlyMemory<byte> Body,
    bool KeepAlive,
    int? ResponseBytes,
    ReadOnlyMemory<byte> ResponseDelimiter,
    string HttpVersion,
    bool Insecure,
    int TimeoutMs)
{
    public static RequestTemplate FromPlan(LoadPlan plan) => new(
        plan.Method,
        plan.Headers,
        plan.Payload is null ? ReadOnlyMemory<byte>.Empty : Encoding.UTF8.GetBytes(plan.Payload),
        plan.KeepAlive,
        plan.ResponseBytes,
        plan.ResponseDelimiter is null ? ReadOnlyMemory<byte>.Empty : Encoding.UTF8.GetBytes(plan.ResponseDelimiter),
        plan.HttpVersion,
        plan.Insecure,
        plan.TimeoutMs);
}
