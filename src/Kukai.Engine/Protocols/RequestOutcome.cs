namespace Kukai.Engine.Protocols;

/// <summary>
/// What one request produced. A value, never an exception: failures are <see cref="Error"/> kinds.
/// </summary>
/// <param name="Error">Why it failed, or <see cref="ErrorKind.None"/>.</param>
/// <param name="Status">HTTP status code; 0 for raw TCP or when no status line was read.</param>
/// <param name="BytesSent">Bytes written for this request (request line, headers and body; or the TCP payload).</param>
/// <param name="BytesReceived">Bytes read for this request's response (status line, headers, body).</param>
public readonly record struct RequestOutcome(ErrorKind Error, int Status, long BytesSent, long BytesReceived)
{
    public bool Success => Error == ErrorKind.None;

    public static RequestOutcome Failed(ErrorKind error, long bytesSent = 0, long bytesReceived = 0, int status = 0) =>
        new(error, status, bytesSent, bytesReceived);
}
