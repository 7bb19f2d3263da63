using System.Net;
using Kukai.Engine.Protocols;

namespace Kukai.Engine.Execution.Native;

/// <summary>
/// Unlimited avalanche over native event loops (<see cref="EventLoop"/>): the same closed model as
/// <see cref="ClosedLoop"/> — <c>concurrency</c> lanes, each sending its next request when the previous one completes,
/// constant or ramped by concurrency stages — with a fraction of the CPU per request. Used for plain <c>http://</c>
/// HTTP/1.1 targets on Linux x86-64; everything else runs on <see cref="ClosedLoop"/>.
/// </summary>
internal sealed class NativeClosedLoop : IEventLoopOwner
{
    private static readonly TimeSpan RampPeriod = TimeSpan.FromMilliseconds(20);
    private readonly RunState _run;
    private readonly ConcurrencySchedule _schedule;
    private readonly bool _limited;
    private long _remaining;
    private long _endTicks;
    private int _active;
    private int _exhausted;

    public NativeClosedLoop(RunState run, ConcurrencySchedule schedule, long? requests)
    {
        _run = run;
        _schedule = schedule;
        _limited = requests is not null;
        _remaining = requests ?? long.MaxValue;
        _active = schedule.At(0);
    }

    /// <summary>Lanes with a lower index may send (a ramp changes it).</summary>
    public int Active => Volatile.Read(ref _active);

    /// <summary>True once no new request may start: stopped, duration over, or the request budget spent.</summary>
    public bool IssuingOver => Volatile.Read(ref _run.StopIssuing) || Volatile.Read(ref _exhausted) != 0;

    /// <summary>Whether this run can use native event loops (set <c>KUKAI_NATIVE_LOOP=0</c> to never use them).</summary>
    public static bool CanRun(RunState run, RunContext context) =>
        context.NativeEventLoop
        && Libc.Supported
        && Environment.GetEnvironmentVariable("KUKAI_NATIVE_LOOP") != "0"
        && run.Factories.Length is > 0 and <= 255
        && run.Factories.All(f => f is Http1ChannelFactory { Tls: false });

    /// <summary>Takes one request from the budget, starting at <paramref name="now"/>; false when none is left, issuing
    /// stopped, or the duration has ended.</summary>
    public bool TryTake(long now)
    {
        if (!_run.MayStart(now, _endTicks))
        {
            Volatile.Write(ref _run.StopIssuing, true);
            return false;
        }

        if (!_limited || Interlocked.Decrement(ref _remaining) >= 0)
        {
            return true;
        }

        Volatile.Write(ref _exhausted, 1);
        return false;
    }

    /// <summary>The run's targets as the loops use them: resolved addresses and pre-encoded requests.</summary>
    public static async Task<NativeTarget[]> ResolveTargetsAsync(RunState run)
    {
        var targets = new NativeTarget[run.Factories.Length];
        for (var i = 0; i < targets.Length; i++)
        {
            var factory = (Http1ChannelFactory)run.Factories[i];
            var endpoints = await factory.Endpoints.ResolveAsync().ConfigureAwait(false);
            var endpoint = endpoints?[Math.Min(factory.Endpoints.Preferred, endpoints.Length - 1)];
            targets[i] = new NativeTarget(
                endpoint is null ? null : Serialize(endpoint),
                endpoint?.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? Libc.AfInet6 : Libc.AfInet,
                factory.Request.ToArray(),
                factory.Head);
        }

        return targets;
    }

    /// <param name="startTicks">When the run started.</param>
    /// <param name="endTicks">When its duration ends (0: no time bound): no request starts at or after it. Checked as each
    /// request is taken, not left to a timer, which fires late.</param>
    public async Task RunAsync(long startTicks, long endTicks)
    {
        _endTicks = endTicks;
        var targets = await ResolveTargetsAsync(_run).ConfigureAwait(false);

        using var ramp = _schedule.IsConstant
            ? null
            : _run.Clock.TimeProvider.CreateTimer(_ => UpdateActive(startTicks), null, RampPeriod, RampPeriod);

        // No more lanes than requests: concurrency 1 000 000 for 5 requests made a million connections' buffers.
        var laneCount = _limited ? (int)Math.Min(_schedule.Maximum, Math.Max(1, Volatile.Read(ref _remaining))) : _schedule.Maximum;

        // One loop per two cores: on a small machine a single thread drives every connection (as wrk -t1 does).
        var loopCount = Math.Clamp(Environment.ProcessorCount / 2, 1, Math.Max(1, laneCount));
        var lanes = new List<NativeConnection>[loopCount];
        for (var l = 0; l < loopCount; l++)
        {
            lanes[l] = [];
        }

        for (var i = 0; i < laneCount; i++)
        {
            lanes[i % loopCount].Add(NativeConnection.ForLane(i, targets.Length, _run.Seed));
        }

        var loops = lanes.Select(l => new EventLoop(_run, this, targets, [.. l])).ToList();
        foreach (var loop in loops)
        {
            loop.Start();
        }

        await Task.WhenAll(loops.Select(l => l.Completion)).ConfigureAwait(false);
    }

    private static byte[] Serialize(IPEndPoint endpoint)
    {
        var address = endpoint.Serialize();
        return address.Buffer.Span[..address.Size].ToArray();
    }

    private void UpdateActive(long startTicks)
    {
        var elapsed = _run.Clock.TicksToSeconds(_run.Clock.Now - startTicks);
        Volatile.Write(ref _active, _schedule.At(elapsed));
    }
}
