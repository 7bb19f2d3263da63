using System.Net.Security;

namespace Kukai.Engine.Protocols;

/// <summary>
/// Makes <see cref="Http1Channel"/>s for one <c>http://</c> or <c>https://</c> (HTTP/1.1) target; they share the
/// encoded request and the TLS settings.
/// </summary>
internal sealed class Http1ChannelFactory : IRequestChannelFactory
{
    private readonly TargetEndpoints _endpoints;
    private readonly byte[] _request;
    private readonly bool _head;
    private readonly SslClientAuthenticationOptions? _tls;

    public Http1ChannelFactory(Uri url, RequestTemplate template)
    {
        _endpoints = new TargetEndpoints(url.IdnHost, url.Port);
        _request = Http1RequestEncoder.Encode(url, template);
        _head = template.Method == "HEAD";
        if (url.Scheme == Uri.UriSchemeHttps)
        {
            _tls = new SslClientAuthenticationOptions
            {
                TargetHost = url.IdnHost,
                ApplicationProtocols = [SslApplicationProtocol.Http11],
                RemoteCertificateValidationCallback = template.Insecure ? static (_, _, _, _) => true : null,
            };
        }
    }

    /// <summary>True for <c>https://</c>: the native event loop does not speak TLS.</summary>
    internal bool Tls => _tls is not null;

    /// <summary>The bytes every request of this target sends.</summary>
    public ReadOnlyMemory<byte> Request => _request;

    /// <summary>Where the target's connections go (shared with the native event loop).</summary>
    internal TargetEndpoints Endpoints => _endpoints;

    /// <summary>True for HEAD requests (responses without a body).</summary>
    internal bool Head => _head;

    public IRequestChannel CreateChannel() => new Http1Channel(_endpoints, _request, _head, _tls);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
