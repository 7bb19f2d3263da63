using System.Net;
using Microsoft.Extensions.Logging;

namespace Kukai.Target.Logging;

/// <summary>The target's log messages. Event ids are stable: 1–9 lifecycle, 10–19 HTTP, 20–29 TCP echo.</summary>
internal static partial class TargetLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Target serving HTTP/1.1 and h2c on {HttpAddress}")]
    public static partial void HttpStarted(ILogger logger, Uri httpAddress);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Target echoing raw TCP on {TcpEndPoint}")]
    public static partial void TcpStarted(ILogger logger, IPEndPoint tcpEndPoint);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information,
        Message = "Target freezes for {StallMs} ms every {StallEveryMs} ms: windows [k*N + N - M, (k+1)*N) from start")]
    public static partial void StallScheduled(ILogger logger, int stallMs, int stallEveryMs);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Target stopping")]
    public static partial void Stopping(ILogger logger);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information,
        Message = "Target stopped: {RequestsReceived} requests received, {ResponsesSent} responses sent, {RequestsAborted} aborted")]
    public static partial void Stopped(ILogger logger, long requestsReceived, long responsesSent, long requestsAborted);

    [LoggerMessage(EventId = 10, Level = LogLevel.Error, Message = "Request {Method} {Path} failed")]
    public static partial void RequestFailed(ILogger logger, string method, string path, Exception exception);

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "TCP echo accept failed")]
    public static partial void TcpAcceptFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 21, Level = LogLevel.Debug, Message = "TCP echo connection from {RemoteEndPoint} ended with an error")]
    public static partial void TcpConnectionFailed(ILogger logger, EndPoint? remoteEndPoint, Exception exception);
}
