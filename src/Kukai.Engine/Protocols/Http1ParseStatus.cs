namespace Kukai.Engine.Protocols;

/// <summary>What <see cref="Http1ResponseParser.Parse"/> made of the bytes it was given.</summary>
internal enum Http1ParseStatus
{
    /// <summary>The response is not complete: read more and call again with the unconsumed bytes first.</summary>
    NeedMore,

    /// <summary>The final response is complete; bytes after it were not consumed.</summary>
    Complete,

    /// <summary>The bytes are not a valid HTTP/1.x response (or exceed a size bound): a protocol error.</summary>
    Invalid,
}
