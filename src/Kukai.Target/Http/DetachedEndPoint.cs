using System.Net;

namespace Kukai.Target.Http;

/// <summary>
/// A Kestrel endpoint that listens nowhere: binding it (through <see cref="TargetTransportFactory"/>) only
/// builds its connection pipeline, which <see cref="H2cPriorKnowledge"/> then feeds with connections
/// accepted on the real port.
/// </summary>
internal sealed class DetachedEndPoint : EndPoint
{
    public override string ToString() => "detached-h2c";
}
