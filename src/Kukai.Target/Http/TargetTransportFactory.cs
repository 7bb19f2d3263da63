using System.Net;
using Microsoft.AspNetCore.Connections;

namespace Kukai.Target.Http;

/// <summary>
/// Kestrel's socket transport, plus listeners that never accept for <see cref="DetachedEndPoint"/>.
/// </summary>
internal sealed class TargetTransportFactory : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    private readonly IConnectionListenerFactory _sockets;

    public TargetTransportFactory(IConnectionListenerFactory sockets) => _sockets = sockets;

    public bool CanBind(EndPoint endpoint) =>
        endpoint is DetachedEndPoint || (_sockets is not IConnectionListenerFactorySelector selector || selector.CanBind(endpoint));

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        endpoint is DetachedEndPoint detached
            ? ValueTask.FromResult<IConnectionListener>(new DetachedListener(detached))
            : _sockets.BindAsync(endpoint, cancellationToken);

    /// <summary>Accepts nothing; its accept ends (with null) when Kestrel unbinds it.</summary>
    private sealed class DetachedListener : IConnectionListener
    {
        private readonly TaskCompletionSource _unbound = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public DetachedListener(EndPoint endPoint) => EndPoint = endPoint;

        public EndPoint EndPoint { get; }

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            await _unbound.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
        {
            _unbound.TrySetResult();
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            _unbound.TrySetResult();
            return ValueTask.CompletedTask;
        }
    }
}
