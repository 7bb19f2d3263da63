using System.Net.Sockets;
using System.Text;
using Kukai.Target.Logging;
using Kukai.Target.Stall;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Kukai.Target.Http;

/// <summary>
/// The target's whole HTTP application, straight on Kestrel's feature interfaces (no hosting, routing or
/// middleware): the feature collection is the request context, so a plain <c>GET /ping</c> is answered
/// synchronously without allocating.
/// </summary>
/// <remarks>
/// Every request other than <c>/metrics</c> goes through these steps:
/// 1. count the arrival (<see cref="TargetCounters.RequestsReceived"/>, in flight + 1);
/// 2. wait for the end of the freeze in force, if any;
/// 3. read and count the request body, if any (any method is accepted);
/// 4. <c>/ping</c> only: answer 400 for a bad parameter, else wait <c>delay_ms</c>;
/// 5. write the response into Kestrel's buffer and count it (<see cref="TargetCounters.ResponsesSent"/>,
///    status, in flight − 1) before returning, so the count is in place before the client can see the response;
///    or, when <c>/ping</c> was asked to misbehave (<see cref="PingFault"/>), misbehave.
/// A request that cannot be answered (client gone mid-body, server stopping) is aborted and counted in
/// <see cref="TargetCounters.RequestsAborted"/> instead; so are requests answered with <c>close=1</c> or
/// <c>garbage=1</c> (they get no valid response), and trickled ones the client gave up on.
/// </remarks>
internal sealed class TargetHttpApplication : IHttpApplication<IFeatureCollection>
{
    private const string TextPlain = "text/plain";

    private readonly TargetCounters _counters;
    private readonly StallSchedule? _stall;
    private readonly TimeProvider _time;
    private readonly MetricsEndpoint _metrics;
    private readonly ILogger _logger;
    private readonly CancellationToken _stopping;

    /// <param name="stopping">Fires when the server stops: releases requests waiting for a freeze or a delay.</param>
    public TargetHttpApplication(
        TargetCounters counters, StallSchedule? stall, TimeProvider time, MetricsEndpoint metrics, ILogger logger, CancellationToken stopping)
    {
        _counters = counters;
        _stall = stall;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _stopping = stopping;
    }

    private static ReadOnlySpan<byte> PongBody => "pong"u8;

    private static ReadOnlySpan<byte> RootBody => "kukai target: GET /ping (delay_ms, status, close, garbage, trickle_ms), GET /metrics\n"u8;

    private static ReadOnlySpan<byte> NotFoundBody => "not found\n"u8;

    private static ReadOnlySpan<byte> InternalErrorBody => "internal error\n"u8;

    /// <summary>The answer of <c>garbage=1</c>: a line no HTTP client can take for a status line.</summary>
    private static ReadOnlyMemory<byte> GarbageBytes { get; } = "NOT-HTTP kukai target garbage\r\n\r\n"u8.ToArray();

    /// <summary>How long <c>garbage=1</c> waits for the client to close before closing the connection itself.</summary>
    private static readonly TimeSpan GarbageLinger = TimeSpan.FromSeconds(2);

    public IFeatureCollection CreateContext(IFeatureCollection contextFeatures) => contextFeatures;

    public void DisposeContext(IFeatureCollection context, Exception? exception)
    {
    }

    public Task ProcessRequestAsync(IFeatureCollection context)
    {
        var request = context.GetRequiredFeature<IHttpRequestFeature>();
        var route = Routes.Classify(request.Path);
        if (route is Route.Metrics or Route.MetricsReset)
        {
            return _metrics.HandleAsync(context, request, route);
        }

        // Step 1.
        _counters.RequestStarted();

        var parameters = PingParameters.Default;
        string? error = null;
        if (route == Route.Ping && request.QueryString.Length > 0)
        {
            PingParameters.TryParse(request.QueryString, out parameters, out error);
        }

        var stallWait = _stall?.WaitIfFrozenAsync(_stopping) ?? default;
        var hasBody = context.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? false;
        if (stallWait.IsCompleted && !hasBody && (error is not null || (parameters.Delay == TimeSpan.Zero && parameters.Fault == PingFault.None)))
        {
            // Nothing to wait for: steps 4 and 5 at once.
            Complete(context, route, parameters.Status, error);
            return Task.CompletedTask;
        }

        return ProcessSlowlyAsync(context, request, route, parameters, error, stallWait, hasBody);
    }

    private async Task ProcessSlowlyAsync(
        IFeatureCollection context, IHttpRequestFeature request, Route route, PingParameters parameters, string? error, ValueTask stallWait, bool hasBody)
    {
        try
        {
            // Step 2.
            await stallWait.ConfigureAwait(false);

            // Step 3.
            if (hasBody)
            {
                await DrainBodyAsync(context).ConfigureAwait(false);
            }

            // Step 4.
            if (error is null && parameters.Delay > TimeSpan.Zero)
            {
                await Task.Delay(parameters.Delay, _time, _stopping).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The server is stopping, or the client went away mid-body (Kestrel's body errors are IOExceptions).
            context.Get<IHttpRequestLifetimeFeature>()?.Abort();
            _counters.RequestAborted();
            return;
        }
        catch (Exception e)
        {
            TargetLog.RequestFailed(_logger, request.Method, request.Path, e);
            Write(context, StatusCodes.Status500InternalServerError, InternalErrorBody);
            _counters.ResponseCompleted(StatusCodes.Status500InternalServerError);
            return;
        }

        if (error is null && parameters.Fault != PingFault.None)
        {
            await MisbehaveAsync(context, parameters).ConfigureAwait(false);
            return;
        }

        Complete(context, route, parameters.Status, error);
    }

    // Step 5 of a /ping asked to fail. Never throws: every way out is counted once, as a response or an abort — before
    // the client can see it for close=1 and garbage=1, as for a normal response.
    private async Task MisbehaveAsync(IFeatureCollection context, PingParameters parameters)
    {
        var lifetime = context.GetRequiredFeature<IHttpRequestLifetimeFeature>();
        switch (parameters.Fault)
        {
            case PingFault.Close:
                // Linger 0: closing sends RST, the harshest way a server can drop a request.
                if (context.Get<IConnectionSocketFeature>()?.Socket is { } socket)
                {
                    TrySetAbortiveClose(socket);
                }

                _counters.RequestAborted();
                lifetime.Abort();
                return;

            case PingFault.Garbage:
                _counters.RequestAborted();
                await SendGarbageAsync(context, lifetime).ConfigureAwait(false);
                return;

            default:
                if (await TrickleAsync(context, lifetime, parameters).ConfigureAwait(false))
                {
                    _counters.ResponseCompleted(parameters.Status);
                }
                else
                {
                    lifetime.Abort();
                    _counters.RequestAborted();
                }

                return;
        }
    }

    // The bytes go through the connection's own output pipe (in order after earlier responses); the request is then
    // held until the client closes (or GarbageLinger passes) and aborted, so Kestrel never writes a response after it.
    private async Task SendGarbageAsync(IFeatureCollection context, IHttpRequestLifetimeFeature lifetime)
    {
        if (context.Get<IConnectionTransportFeature>()?.Transport.Output is { } output)
        {
            try
            {
                await output.WriteAsync(GarbageBytes, lifetime.RequestAborted).ConfigureAwait(false);
                using var linger = CancellationTokenSource.CreateLinkedTokenSource(lifetime.RequestAborted, _stopping);
                linger.CancelAfter(GarbageLinger);
                await Task.Delay(Timeout.InfiniteTimeSpan, _time, linger.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
            {
                // The client closed (the expected end), the linger passed, or the connection is already gone.
            }
        }

        lifetime.Abort();
    }

    // True when the whole body was sent; false when the client went away or the server is stopping.
    private async Task<bool> TrickleAsync(IFeatureCollection context, IHttpRequestLifetimeFeature lifetime, PingParameters parameters)
    {
        var status = parameters.Status;
        if (status is < 200 or StatusCodes.Status204NoContent or StatusCodes.Status205ResetContent or StatusCodes.Status304NotModified)
        {
            Write(context, status, PongBody);
            return true; // no body to trickle
        }

        var response = context.GetRequiredFeature<IHttpResponseFeature>();
        response.StatusCode = status;
        response.Headers.ContentType = TextPlain;
        response.Headers.ContentLength = PongBody.Length;
        var body = context.GetRequiredFeature<IHttpResponseBodyFeature>();
        using var gone = CancellationTokenSource.CreateLinkedTokenSource(lifetime.RequestAborted, _stopping);
        try
        {
            await body.StartAsync(gone.Token).ConfigureAwait(false);
            await body.Writer.FlushAsync(gone.Token).ConfigureAwait(false);
            for (var i = 0; i < PongBody.Length; i++)
            {
                await Task.Delay(parameters.TrickleInterval, _time, gone.Token).ConfigureAwait(false);
                body.Writer.GetSpan(1)[0] = PongBody[i];
                body.Writer.Advance(1);
                var flushed = await body.Writer.FlushAsync(gone.Token).ConfigureAwait(false);
                if (flushed.IsCanceled || flushed.IsCompleted && i < PongBody.Length - 1)
                {
                    return false;
                }
            }

            return !gone.IsCancellationRequested;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            return false;
        }
    }

    private static void TrySetAbortiveClose(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed: the client sees the connection end all the same.
        }
    }

    private async Task DrainBodyAsync(IFeatureCollection context)
    {
        var reader = context.GetRequiredFeature<IRequestBodyPipeFeature>().Reader;
        while (true)
        {
            var result = await reader.ReadAsync().ConfigureAwait(false);
            var length = result.Buffer.Length;
            if (length > 0)
            {
                _counters.AddBytesReceived(length);
            }

            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                return;
            }
        }
    }

    // Step 5.
    private void Complete(IFeatureCollection context, Route route, int pingStatus, string? error)
    {
        int status;
        switch (route)
        {
            case Route.Ping when error is not null:
                status = StatusCodes.Status400BadRequest;
                Write(context, status, Encoding.UTF8.GetBytes(error + "\n"));
                break;
            case Route.Ping:
                status = pingStatus;
                Write(context, status, PongBody);
                break;
            case Route.Root:
                status = StatusCodes.Status200OK;
                Write(context, status, RootBody);
                break;
            default:
                status = StatusCodes.Status404NotFound;
                Write(context, status, NotFoundBody);
                break;
        }

        _counters.ResponseCompleted(status);
    }

    /// <summary>
    /// Sets the status and, when the status allows a body, a <c>text/plain</c> body with its length.
    /// Kestrel sends it (and drops the body of a HEAD response) when the request completes.
    /// </summary>
    private static void Write(IFeatureCollection context, int status, ReadOnlySpan<byte> body)
    {
        var response = context.GetRequiredFeature<IHttpResponseFeature>();
        response.StatusCode = status;
        if (status is < 200 or StatusCodes.Status204NoContent or StatusCodes.Status205ResetContent or StatusCodes.Status304NotModified)
        {
            return;
        }

        var headers = response.Headers;
        headers.ContentType = TextPlain;
        headers.ContentLength = body.Length;
        var writer = context.GetRequiredFeature<IHttpResponseBodyFeature>().Writer;
        body.CopyTo(writer.GetSpan(body.Length));
        writer.Advance(body.Length);
    }
}
