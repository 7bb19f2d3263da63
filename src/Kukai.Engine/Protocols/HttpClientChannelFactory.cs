using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;

namespace Kukai.Engine.Protocols;

/// <summary>
/// Makes <see cref="HttpClientChannel"/>s for one <c>https://</c> or HTTP/2 target, all over one shared
/// <see cref="SocketsHttpHandler"/>: unlimited connections per server, no cookies, redirects, decompression, proxy or
/// trace headers; HTTP/2 over cleartext uses prior knowledge (h2c). Disposing the factory closes its connections.
/// </summary>
internal sealed class HttpClientChannelFactory : IRequestChannelFactory
{
    private readonly HttpMessageInvoker _invoker;
    private readonly Uri _url;
    private readonly HttpMethod _method;
    private readonly Version _version;
    private readonly KeyValuePair<string, string>[] _requestHeaders;
    private readonly KeyValuePair<string, string>[] _contentHeaders;
    private readonly byte[]? _body;

    public HttpClientChannelFactory(Uri url, RequestTemplate template)
    {
        _url = url;
        _method = new HttpMethod(template.Method);
        _version = template.HttpVersion == "2" ? HttpVersion.Version20 : HttpVersion.Version11;
        _body = template.Body.IsEmpty ? null : template.Body.ToArray();
        (_requestHeaders, _contentHeaders) = SplitHeaders(template);
        TimeoutMs = template.TimeoutMs;
        EstimatedRequestBytes = Http1RequestEncoder.Encode(url, template).Length;

        var handler = new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
            MaxConnectionsPerServer = int.MaxValue,
            EnableMultipleHttp2Connections = true,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            ActivityHeadersPropagator = null,
        };
        if (template.Insecure)
        {
            handler.SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = static (_, _, _, _) => true };
        }

        _invoker = new HttpMessageInvoker(handler, disposeHandler: true);
    }

    /// <summary>The shared invoker. It returns once the response headers are in (the body streams), the same as
    /// <c>HttpClient</c> with <see cref="HttpCompletionOption.ResponseHeadersRead"/>, without its per-request timeout
    /// plumbing.</summary>
    public HttpMessageInvoker Invoker => _invoker;

    /// <summary>The template's per-request timeout, enforced by the channels as a backstop to the engine's watchdog;
    /// 0 or less: none.</summary>
    public int TimeoutMs { get; }

    /// <summary>The request's size as HTTP/1.1 would send it (request line, headers, body). Exact for HTTP/1.1 (the
    /// handler adds no headers of its own), an uncompressed estimate for HTTP/2; TLS overhead not included.</summary>
    public long EstimatedRequestBytes { get; }

    public IRequestChannel CreateChannel() => new HttpClientChannel(this);

    /// <summary>A new request message (they cannot be reused); its content wraps the shared body copy.</summary>
    public HttpRequestMessage CreateRequest()
    {
        var request = new HttpRequestMessage(_method, _url) { Version = _version, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        foreach (var (name, value) in _requestHeaders)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (_body is not null || _contentHeaders.Length > 0)
        {
            var content = new ByteArrayContent(_body ?? []);
            foreach (var (name, value) in _contentHeaders)
            {
                content.Headers.TryAddWithoutValidation(name, value);
            }

            request.Content = content;
        }

        return request;
    }

    public ValueTask DisposeAsync()
    {
        _invoker.Dispose();
        return ValueTask.CompletedTask;
    }

    // HttpClient keeps content headers (Content-Type, ...) on the content, the rest on the request.
    private static (KeyValuePair<string, string>[] Request, KeyValuePair<string, string>[] Content) SplitHeaders(RequestTemplate template)
    {
        var request = new List<KeyValuePair<string, string>>();
        var content = new List<KeyValuePair<string, string>>();
        using var probe = new HttpRequestMessage();
        HttpContentHeaders contentProbe = new ByteArrayContent([]).Headers;
        foreach (var header in template.Headers)
        {
            if (probe.Headers.TryAddWithoutValidation(header.Key, header.Value))
            {
                request.Add(header);
            }
            else if (contentProbe.TryAddWithoutValidation(header.Key, header.Value))
            {
                content.Add(header);
            }
            else
            {
                throw new ArgumentException($"headers: '{header.Key}' cannot be sent by the HTTP client.", nameof(template));
            }
        }

        return (request.ToArray(), content.ToArray());
    }
}
