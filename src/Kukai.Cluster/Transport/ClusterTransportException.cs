namespace Kukai.Cluster.Transport;

/// <summary>A transport failure that retrying will not fix (bad configuration, authorisation, a message too large).</summary>
public sealed class ClusterTransportException(string message, Exception? inner = null) : Exception(message, inner);
