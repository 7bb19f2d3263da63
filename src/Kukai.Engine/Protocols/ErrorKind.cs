namespace Kukai.Engine.Protocols;

/// <summary>
/// Why a request failed, as a value (SPEC §3). Expected failures never surface as exceptions on the hot path.
/// The numeric values are part of the binary report format: append only.
/// </summary>
public enum ErrorKind : byte
{
    /// <summary>The request succeeded (2xx/3xx over HTTP; a complete reply over raw TCP).</summary>
    None = 0,

    /// <summary>The connection could not be established (refused, unreachable, name not resolved).</summary>
    Connect = 1,

    /// <summary>No complete response within <c>timeout_ms</c>.</summary>
    Timeout = 2,

    /// <summary>The peer reset or closed the connection before the response was complete.</summary>
    Reset = 3,

    /// <summary>HTTP status 400–499.</summary>
    Http4xx = 4,

    /// <summary>HTTP status 500–599.</summary>
    Http5xx = 5,

    /// <summary>The peer answered with something that is not a valid response.</summary>
    Protocol = 6,
}
