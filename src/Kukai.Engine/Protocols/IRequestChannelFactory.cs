namespace Kukai.Engine.Protocols;

/// <summary>
/// Makes the channels for one target. Made once per target by <see cref="RequestChannelFactory.Create"/>, before a
/// test starts; holds what every channel of that target shares (the pre-encoded request, the resolved address, the
/// <c>SocketsHttpHandler</c>). Dispose it after every channel it made has been disposed.
/// </summary>
public interface IRequestChannelFactory : IAsyncDisposable
{
    /// <summary>A new, not yet connected channel; it connects on its first send. Thread-safe.</summary>
    IRequestChannel CreateChannel();
}
