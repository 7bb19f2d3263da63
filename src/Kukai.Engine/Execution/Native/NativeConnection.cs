using Kukai.Engine.Protocols;

namespace Kukai.Engine.Execution.Native;

/// <summary>
/// One lane of the native event loop: a request at a time, with one non-blocking socket per target it has used.
/// Owned by one <see cref="EventLoop"/> thread; nothing here is shared.
/// </summary>
internal sealed class NativeConnection
{
    /// <summary>Receive buffer per connection; as in <see cref="Http1Channel"/>, a longer header line is a protocol error.</summary>
    public const int BufferSize = Http1Channel.ReceiveBufferSize;

    public NativeConnection(int index, int targets, ulong seed)
    {
        Index = index;
        Fds = new int[targets];
        Array.Fill(Fds, -1);
        Random = new FastRandom(seed);
    }

    /// <summary>Lane <paramref name="index"/> of a run, its random stream derived from the run's seed.</summary>
    public static NativeConnection ForLane(int index, int targets, ulong runSeed) =>
        new(index, targets, runSeed ^ ((ulong)(index + 1) * 0xBF58476D1CE4E5B9UL));

    public enum Phase
    {
        /// <summary>No request: waiting for the loop to start the next one (or parked).</summary>
        Idle,

        /// <summary>A non-blocking connect is in progress (waiting for EPOLLOUT).</summary>
        Connecting,

        /// <summary>The request is being written (the socket buffer was full: waiting for EPOLLOUT).</summary>
        Sending,

        /// <summary>The request is out; the response is being read.</summary>
        Receiving,
    }

    /// <summary>The lane number across all loops (concurrency stages park lanes by it).</summary>
    public int Index { get; }

    /// <summary>Position in its loop (the high bits of its sockets' epoll data).</summary>
    public int Slot { get; set; }

    /// <summary>Socket per target, -1 when not connected.</summary>
    public int[] Fds { get; }

    public byte[] Buffer { get; } = GC.AllocateUninitializedArray<byte>(BufferSize, pinned: true);

    public Http1ResponseParser Parser { get; } = new();

    public FastRandom Random;

    public Phase State;

    /// <summary>The target of the request in progress.</summary>
    public int Target;

    public int SendOffset;

    public long SendTicks;

    /// <summary>When the request in progress was due (paced runs; the send time in a closed loop).</summary>
    public long IntendedTicks;

    /// <summary>When the request in progress got this lane: <see cref="IntendedTicks"/>, or later when it waited in the backlog.</summary>
    public long LaneFreeTicks;

    /// <summary>When the request in progress times out (clock ticks).</summary>
    public long Deadline;

    public long BytesSent;

    public long BytesReceived;

    /// <summary>Unconsumed received bytes are Buffer[Start..End].</summary>
    public int Start;

    public int End;

    /// <summary>An EPOLLIN edge arrived while not receiving: read as soon as the request is out.</summary>
    public bool ReadPending;

    /// <summary>Queued to start its next request.</summary>
    public bool Queued;
}
