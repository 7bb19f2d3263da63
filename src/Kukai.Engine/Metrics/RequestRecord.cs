using Kukai.Engine.Protocols;

namespace Kukai.Engine.Metrics;

/// <summary>One request as recorded for <c>requests.arrow</c>, before target and driver names are attached.</summary>
/// <param name="TimestampNs">Intended start, Unix epoch nanoseconds (UTC).</param>
/// <param name="TargetIndex">Index into the plan's targets.</param>
/// <param name="LatencyUs">Latency from the intended start, µs.</param>
/// <param name="Status">HTTP status; 0 for raw TCP or when none was read.</param>
/// <param name="Error">Failure kind, or <see cref="ErrorKind.None"/>.</param>
/// <param name="BytesSent">Bytes written.</param>
/// <param name="BytesReceived">Bytes read.</param>
public readonly record struct RequestRecord(
    long TimestampNs,
    int TargetIndex,
    long LatencyUs,
    int Status,
    ErrorKind Error,
    long BytesSent,
    long BytesReceived);
