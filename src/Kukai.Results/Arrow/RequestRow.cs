namespace Kukai.Results.Arrow;

/// <summary>
/// One request as stored in <c>requests.arrow</c> (SPEC §4).
/// </summary>
/// <param name="TimestampNs">Intended start, nanoseconds since the Unix epoch (UTC).</param>
/// <param name="DriverId">The driver that sent the request.</param>
/// <param name="Target">The target's url or <c>addr:port</c>.</param>
/// <param name="LatencyUs">Latency in microseconds, from the intended start to the last response byte.</param>
/// <param name="Status">Protocol status code (HTTP status), 0 when there is none.</param>
/// <param name="Success">Whether the request counted as ok.</param>
/// <param name="Error">The error kind or message; null when there was no error.</param>
/// <param name="BytesSent">Bytes written for the request.</param>
/// <param name="BytesReceived">Bytes read for the response.</param>
public readonly record struct RequestRow(
    long TimestampNs,
    string DriverId,
    string Target,
    long LatencyUs,
    int Status,
    bool Success,
    string? Error,
    long BytesSent,
    long BytesReceived);
