namespace Kukai.Engine.Protocols;

/// <summary>Makes <see cref="Http1Channel"/>s for one <c>http://</c> target; they share the encoded request.</summary>
internal sealed class Http1ChannelFactory : IRequestChannelFactory
{
    private readonly TargetEndpoints _endpoints;
    private readonly byte[] _request;
    private readonly bool _head;

    public Http1ChannelFactory(Uri url, RequestTemplate template)
    {
        _endpoints = new TargetEndpoints(url.IdnHost, url.Port);
        _request = Http1RequestEncoder.Encode(url, template);
        _head = template.Method == "HEAD";
    }

    /// <summary>The bytes every request of this target sends.</summary>
    public ReadOnlyMemory<byte> Request => _request;

    /// <summary>Where the target's connections go (shared with the native event loop).</summary>
    internal TargetEndpoints Endpoints => _endpoints;

    /// <summary>True for HEAD requests (responses without a body).</summary>
    internal bool Head => _head;

    public IRequestChannel CreateChannel() => new Http1Channel(_endpoints, _request, _head);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
