namespace Kukai.Target.Http;

/// <summary>How <c>/ping</c> misbehaves on request (<see cref="PingParameters"/>): the failures a load tester must count.</summary>
internal enum PingFault
{
    /// <summary>Answers normally.</summary>
    None,

    /// <summary><c>close=1</c>: drops the connection without answering (an abortive close, so the client sees a reset).</summary>
    Close,

    /// <summary><c>garbage=1</c>: answers bytes that are not HTTP, then closes the connection.</summary>
    Garbage,

    /// <summary><c>trickle_ms=N</c>: sends the response body one byte every N ms.</summary>
    Trickle,
}
