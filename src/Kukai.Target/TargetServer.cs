using System.Net;
using Kukai.Target.Http;
using Kukai.Target.Logging;
using Kukai.Target.Stall;
using Kukai.Target.Tcp;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Kukai.Target;

/// <summary>
/// The reference target server (<c>kukai target</c>): HTTP/1.1 and h2c on one port (<c>/ping</c>,
/// <c>/</c>, <c>/metrics</c>, <c>POST /metrics/reset</c>), an optional raw-TCP echo port, exact counters,
/// and optional periodic freezes to demonstrate coordinated omission.
/// </summary>
/// <remarks>
/// HTTP routes (any other path answers 404 and is counted like every request except <c>/metrics*</c>):
/// <list type="bullet">
/// <item><c>/ping</c>, any method: <c>200 pong</c> (<c>text/plain</c>); <c>?delay_ms=N</c> answers N ms later,
/// <c>?status=N</c> answers with status N (100–599; the body is left out where HTTP forbids one, and a 1xx
/// final status makes most clients wait, as for a hung server); <c>?close=1</c>, <c>?garbage=1</c> and
/// <c>?trickle_ms=N</c> misbehave on purpose (see <c>PingFault</c>); a bad parameter answers 400 naming it.</item>
/// <item><c>/</c>, any method: 200 with one line of text.</item>
/// <item><c>GET /metrics</c>: the counters as JSON, or Prometheus text with <c>?format=prometheus</c>.</item>
/// <item><c>POST /metrics/reset</c>: zeroes the counters (in-flight and open-connection gauges excepted)
/// and answers with the values it zeroed, as JSON. Use it between tests while no load runs.</item>
/// </list>
/// Request bodies are read and counted for every method. Time (delays, freezes, uptime) comes from the
/// injected <see cref="TimeProvider"/>. Kestrel runs bare (no hosting, routing or middleware), without a
/// Server header, and logs nothing unless a logger factory is given.
/// </remarks>
public sealed class TargetServer : IAsyncDisposable
{
    private readonly KestrelServer _kestrel;
    private readonly TcpEchoListener? _tcp;
    private readonly CancellationTokenSource _stopping;
    private readonly TimeProvider _time;
    private readonly TimeSpan _shutdownTimeout;
    private readonly ILogger _logger;
    private readonly object _stopLock = new();
    private Task? _stopTask;

    private TargetServer(
        KestrelServer kestrel, TcpEchoListener? tcp, CancellationTokenSource stopping, TimeProvider time, TargetOptions options,
        ILogger logger, Uri httpAddress, TargetCounters counters, DateTimeOffset startedAt)
    {
        _kestrel = kestrel;
        _tcp = tcp;
        _stopping = stopping;
        _time = time;
        _shutdownTimeout = options.ShutdownTimeout;
        _logger = logger;
        HttpAddress = httpAddress;
        Counters = counters;
        StartedAt = startedAt;
    }

    /// <summary>
    /// The HTTP base address actually bound, e.g. <c>http://127.0.0.1:41234/</c> (port resolved when 0 was
    /// asked for; a wildcard bind shows as <c>0.0.0.0</c> or <c>[::]</c>).
    /// </summary>
    public Uri HttpAddress { get; }

    /// <summary>The raw-TCP echo address actually bound; null when the echo listener is off.</summary>
    public IPEndPoint? TcpEndPoint => _tcp?.EndPoint;

    /// <summary>The live counters (also served by <c>/metrics</c>).</summary>
    public TargetCounters Counters { get; }

    /// <summary>When the server started (UTC, from the injected <see cref="TimeProvider"/>); freezes are aligned to it.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>Validates <paramref name="options"/>, binds the listeners and starts serving.</summary>
    /// <param name="options">What to serve; see <see cref="TargetOptions.Validate"/>.</param>
    /// <param name="timeProvider">Clock for delays, freezes, uptime and the shutdown bound.</param>
    /// <param name="loggerFactory">Null (default) logs nothing.</param>
    /// <param name="cancellationToken">Cancels binding.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem, one per line.</exception>
    /// <exception cref="IOException">An address cannot be bound (in use, not local, no permission).</exception>
    public static async Task<TargetServer> StartAsync(
        TargetOptions options, TimeProvider timeProvider, ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(options));
        }

        loggerFactory ??= NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger<TargetServer>();
        var startTimestamp = timeProvider.GetTimestamp();
        var startedAt = timeProvider.GetUtcNow();
        var counters = new TargetCounters(tcpEnabled: options.TcpEndPoint is not null);
        var stall = options.StallMs > 0
            ? new StallSchedule(options.StallMs, options.StallEveryMs, timeProvider, startTimestamp, counters)
            : null;

        var stopping = new CancellationTokenSource();
        var application = new TargetHttpApplication(
            counters, stall, timeProvider, new MetricsEndpoint(counters, timeProvider, startedAt, startTimestamp), logger, stopping.Token);
        var (kestrel, httpListen) = CreateKestrel(options.HttpEndPoint, loggerFactory);
        TcpEchoListener? tcp = null;
        try
        {
            await kestrel.StartAsync(application, cancellationToken).ConfigureAwait(false);
            if (options.TcpEndPoint is not null)
            {
                tcp = TcpEchoListener.Start(options.TcpEndPoint, counters, stall, timeProvider, loggerFactory.CreateLogger<TcpEchoListener>());
            }
        }
        catch
        {
            await stopping.CancelAsync().ConfigureAwait(false);
            await kestrel.StopAsync(new CancellationToken(canceled: true)).ConfigureAwait(false);
            kestrel.Dispose();
            stopping.Dispose();
            throw;
        }

        var httpAddress = new Uri($"http://{httpListen.IPEndPoint}/");
        TargetLog.HttpStarted(logger, httpAddress);
        if (tcp is not null)
        {
            TargetLog.TcpStarted(logger, tcp.EndPoint);
        }

        if (stall is not null)
        {
            TargetLog.StallScheduled(logger, options.StallMs, options.StallEveryMs);
        }

        return new TargetServer(kestrel, tcp, stopping, timeProvider, options, logger, httpAddress, counters, startedAt);
    }

    /// <summary>
    /// Stops serving: closes the listeners, aborts requests waiting for a freeze or a delay (counted as
    /// aborted), closes the TCP echo connections, lets other HTTP connections finish for at most
    /// <see cref="TargetOptions.ShutdownTimeout"/> and then aborts them. Idempotent; safe to call concurrently.
    /// </summary>
    public Task StopAsync()
    {
        lock (_stopLock)
        {
            return _stopTask ??= StopCoreAsync();
        }
    }

    /// <summary>Stops the server (see <see cref="StopAsync"/>).</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task StopCoreAsync()
    {
        TargetLog.Stopping(_logger);
        await _stopping.CancelAsync().ConfigureAwait(false);
        using (var deadline = new CancellationTokenSource(_shutdownTimeout, _time))
        {
            await Task.WhenAll(
                _kestrel.StopAsync(deadline.Token),
                _tcp?.StopAsync() ?? Task.CompletedTask).ConfigureAwait(false);
        }

        _kestrel.Dispose();
        TargetLog.Stopped(_logger, Counters.RequestsReceived, Counters.ResponsesSent, Counters.RequestsAborted);
    }

    private static (KestrelServer Server, ListenOptions HttpListen) CreateKestrel(IPEndPoint endPoint, ILoggerFactory loggerFactory)
    {
        var options = new KestrelServerOptions { AddServerHeader = false };

        // A load-test target reads whatever it is sent, as slowly as it is sent, even while frozen.
        options.Limits.MaxRequestBodySize = null;
        options.Limits.MinRequestBodyDataRate = null;
        options.Limits.MinResponseDataRate = null;
        options.Limits.Http2.MaxStreamsPerConnection = 1000;

        // The HTTP/2 endpoint must be built before the real one accepts (see H2cPriorKnowledge).
        ConnectionDelegate? http2 = null;
        options.Listen(new DetachedEndPoint(), listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            listen.Use(next => http2 = next);
        });

        ListenOptions? httpListen = null;
        options.Listen(endPoint, listen =>
        {
            httpListen = listen;
            listen.Protocols = HttpProtocols.Http1;
            listen.Use(H2cPriorKnowledge.Middleware(() => http2));
        });

        var transport = new SocketTransportFactory(Options.Create(new SocketTransportOptions()), loggerFactory);
        var server = new KestrelServer(Options.Create(options), new TargetTransportFactory(transport), loggerFactory);
        return (server, httpListen!);
    }
}
