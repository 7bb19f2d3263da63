using Microsoft.Extensions.Logging;

namespace Kukai.Cluster.Logging;

/// <summary>Log events of the cluster runtime. Event ids are stable: 1xxx driver, 2xxx orchestrator.</summary>
internal static partial class ClusterLog
{
    [LoggerMessage(1000, LogLevel.Information, "Driver {DriverId} on {Host} registering")]
    public static partial void DriverRegistering(ILogger logger, string driverId, string host);

    [LoggerMessage(1001, LogLevel.Information, "Test {TestId}: driver {DriverId} is {Index} of {Count}, starting at {StartAt:O} (clock offset {OffsetMs:0.###} ms)")]
    public static partial void DriverStarting(ILogger logger, string testId, string driverId, int index, int count, DateTimeOffset startAt, double offsetMs);

    [LoggerMessage(1002, LogLevel.Information, "Test {TestId}: driver finished: {Count} requests, {Errors} errors, {Reports} reports")]
    public static partial void DriverFinished(ILogger logger, string testId, long count, long errors, long reports);

    [LoggerMessage(1003, LogLevel.Information, "Test {TestId}: stop requested")]
    public static partial void DriverStopRequested(ILogger logger, string testId);

    [LoggerMessage(1004, LogLevel.Warning, "Publishing {Type} failed, will retry: {Reason}")]
    public static partial void PublishFailed(ILogger logger, string type, string reason);

    [LoggerMessage(1005, LogLevel.Warning, "Test {TestId}: upload of per-request rows failed (attempt {Attempt}): {Reason}")]
    public static partial void UploadFailed(ILogger logger, string testId, int attempt, string reason);

    [LoggerMessage(1006, LogLevel.Error, "Test {TestId}: the run failed: {Reason}")]
    public static partial void RunFailed(ILogger logger, string testId, string reason);

    [LoggerMessage(1007, LogLevel.Information, "Orchestrator {OrchestratorId} seen: registering again")]
    public static partial void NewOrchestrator(ILogger logger, string orchestratorId);

    [LoggerMessage(1008, LogLevel.Information, "Test {TestId}: resending reports {From}..{To}")]
    public static partial void Resending(ILogger logger, string testId, long from, long to);

    [LoggerMessage(1009, LogLevel.Warning, "Test {TestId}: ignored a start: {Reason}")]
    public static partial void StartIgnored(ILogger logger, string testId, string reason);

    [LoggerMessage(2000, LogLevel.Information, "Driver {DriverId} registered from {Host}")]
    public static partial void DriverRegistered(ILogger logger, string driverId, string host);

    [LoggerMessage(2001, LogLevel.Warning, "Driver {DriverId} lost: no heartbeat for {Seconds:0.#} s")]
    public static partial void DriverLost(ILogger logger, string driverId, double seconds);

    [LoggerMessage(2018, LogLevel.Information, "Driver {DriverId} left (it shut down)")]
    public static partial void DriverLeft(ILogger logger, string driverId);

    [LoggerMessage(2014, LogLevel.Warning, "Driver {DriverId} is back in test {TestId} after {Seconds:0.#} s counted as lost: its messages were held up, not lost")]
    public static partial void DriverRejoined(ILogger logger, string driverId, string testId, double seconds);

    [LoggerMessage(2002, LogLevel.Information, "Test {TestId} {From} -> {To}")]
    public static partial void TestTransition(ILogger logger, string testId, string from, string to);

    [LoggerMessage(2003, LogLevel.Warning, "Test {TestId}: reports {From}..{To} from driver {DriverId} are missing; asking again")]
    public static partial void ReportsMissing(ILogger logger, string testId, string driverId, long from, long to);

    [LoggerMessage(2004, LogLevel.Warning, "Rejected a message from driver {DriverId}: {Reason}")]
    public static partial void MessageRejected(ILogger logger, string driverId, string reason);

    [LoggerMessage(2005, LogLevel.Error, "Test {TestId}: writing results failed: {Reason}")]
    public static partial void ResultsFailed(ILogger logger, string testId, string reason);

    [LoggerMessage(2006, LogLevel.Information, "Test {TestId}: results written to {Path}")]
    public static partial void ResultsWritten(ILogger logger, string testId, string path);

    [LoggerMessage(2007, LogLevel.Warning, "Test {TestId} was interrupted by an orchestrator restart: marked failed")]
    public static partial void TestInterrupted(ILogger logger, string testId);

    [LoggerMessage(2017, LogLevel.Warning, "Test {TestId} was running when the previous orchestrator stopped: resumed, asking its {Drivers} drivers for their reports again")]
    public static partial void TestResumed(ILogger logger, string testId, int drivers);

    [LoggerMessage(2008, LogLevel.Warning, "Driver {DriverId} from host {Host} is not in the allowed list: ignored")]
    public static partial void DriverNotAllowed(ILogger logger, string driverId, string host);

    [LoggerMessage(2009, LogLevel.Warning, "Test {TestId}: driver {DriverId} did not upload its per-request rows in time")]
    public static partial void UploadMissing(ILogger logger, string testId, string driverId);

    [LoggerMessage(2010, LogLevel.Warning, "The message bus is unreachable ({Detail}): drivers are not declared lost until it is back")]
    public static partial void BusDown(ILogger logger, string detail);

    [LoggerMessage(2011, LogLevel.Information, "The message bus is back after {Seconds:0.#} s: drivers have {TimeoutSeconds:0.#} s from now to be heard from")]
    public static partial void BusBack(ILogger logger, double seconds, double timeoutSeconds);

    [LoggerMessage(2012, LogLevel.Warning, "Driver {DriverId} no longer runs test {TestId} and never finished it (restarted?): left out of the test")]
    public static partial void DriverDroppedTest(ILogger logger, string driverId, string testId);

    [LoggerMessage(2013, LogLevel.Error, "Applying a {Type} message from driver {DriverId} failed; the message is dropped")]
    public static partial void ApplyFailed(ILogger logger, Exception exception, string type, string driverId);

    [LoggerMessage(2015, LogLevel.Warning, "The histograms of test {TestId} cannot be read ({Detail}): only its standard percentiles are known")]
    public static partial void HistogramsUnreadable(ILogger logger, string testId, string detail);

    [LoggerMessage(2016, LogLevel.Warning, "The timeseries of test {TestId} cannot be read ({Detail}): its per-driver rows are left out")]
    public static partial void TimeseriesUnreadable(ILogger logger, string testId, string detail);
}
