namespace Kukai.Engine.Protocols;

/// <summary>Makes <see cref="TcpChannel"/>s for one raw-TCP target.</summary>
internal sealed class TcpChannelFactory(string addr, int port, RequestTemplate template) : IRequestChannelFactory
{
    private readonly TargetEndpoints _endpoints = new(addr, port);

    public IRequestChannel CreateChannel() => new TcpChannel(_endpoints, template);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
