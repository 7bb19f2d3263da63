using System.Net;
using System.Net.Sockets;

namespace Kukai.Engine.Protocols;

/// <summary>
/// Where one target's sockets connect: its addresses, resolved once on first use and then shared by every channel of
/// the target (a load test does not follow DNS changes). Thread-safe.
/// </summary>
internal sealed class TargetEndpoints
{
    private readonly string _host;
    private readonly int _port;
    private IPEndPoint[]? _endpoints;
    private int _preferred;

    public TargetEndpoints(string host, int port)
    {
        _host = host;
        _port = port;
        if (IPAddress.TryParse(host, out var address))
        {
            _endpoints = [new IPEndPoint(address, port)];
        }
    }

    /// <summary>Index into the resolved endpoints of the one that last accepted a connection; tried first.</summary>
    public int Preferred
    {
        get => Volatile.Read(ref _preferred);
        set => Volatile.Write(ref _preferred, value);
    }

    /// <summary>The target's endpoints, or null when the name does not resolve (a <see cref="ErrorKind.Connect"/>
    /// failure; resolution is tried again on the next connect).</summary>
    public ValueTask<IPEndPoint[]?> ResolveAsync()
    {
        var endpoints = Volatile.Read(ref _endpoints);
        return endpoints is not null ? new(endpoints) : ResolveSlowAsync();
    }

    private async ValueTask<IPEndPoint[]?> ResolveSlowAsync()
    {
        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(_host).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            return null;
        }

        if (addresses.Length == 0)
        {
            return null;
        }

        var endpoints = new IPEndPoint[addresses.Length];
        for (int i = 0; i < addresses.Length; i++)
        {
            endpoints[i] = new IPEndPoint(addresses[i], _port);
        }

        Volatile.Write(ref _endpoints, endpoints);
        return endpoints;
    }
}
