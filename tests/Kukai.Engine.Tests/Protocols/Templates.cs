using System.Collections.Immutable;
using System.Text;
using Kukai.Engine.Protocols;

namespace Kukai.Engine.Tests.Protocols;

internal static class Templates
{
    public static RequestTemplate Http(string method = "GET", string? body = null, params (string Name, string Value)[] headers) => new(
        method,
        [.. headers.Select(h => KeyValuePair.Create(h.Name, h.Value))],
        body is null ? ReadOnlyMemory<byte>.Empty : Encoding.UTF8.GetBytes(body),
        KeepAlive: true,
        ResponseBytes: null,
        ResponseDelimiter: ReadOnlyMemory<byte>.Empty,
        HttpVersion: "1.1",
        Insecure: false,
        TimeoutMs: 10_000);

    public static RequestTemplate Tcp(string payload, bool keepAlive = true, int? responseBytes = null, string? delimiter = null) => new(
        "GET",
        ImmutableArray<KeyValuePair<string, string>>.Empty,
        Encoding.UTF8.GetBytes(payload),
        keepAlive,
        responseBytes,
        delimiter is null ? ReadOnlyMemory<byte>.Empty : Encoding.UTF8.GetBytes(delimiter),
        HttpVersion: "1.1",
        Insecure: false,
        TimeoutMs: 10_000);
}
