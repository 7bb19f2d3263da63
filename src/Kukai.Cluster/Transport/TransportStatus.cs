namespace Kukai.Cluster.Transport;

/// <summary>How the transport is doing, for <c>/api/health</c> and driver health.</summary>
/// <param name="Connected">True when the last contact with the brokers succeeded.</param>
/// <param name="Detail">Human-readable state: bootstrap servers, or the last error.</param>
/// <param name="LastError">When the last error happened, if any.</param>
public sealed record TransportStatus(bool Connected, string Detail, DateTimeOffset? LastError = null);
