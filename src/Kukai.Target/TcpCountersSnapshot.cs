namespace Kukai.Target;

/// <summary>The raw-TCP echo listener's counters at one moment.</summary>
/// <param name="ConnectionsAccepted">Connections accepted since start (or the last reset).</param>
/// <param name="ConnectionsOpen">Connections open now (a gauge; a reset keeps it).</param>
/// <param name="Reads">Chunks read (each one is echoed back as soon as it is read).</param>
/// <param name="BytesReceived">Bytes read.</param>
/// <param name="BytesSent">Bytes echoed back (counted when handed to the socket, before the peer can read them).</param>
public sealed record TcpCountersSnapshot(
    long ConnectionsAccepted,
    long ConnectionsOpen,
    long Reads,
    long BytesReceived,
    long BytesSent);
