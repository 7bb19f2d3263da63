using Kukai.Cluster.Messages;
using Kukai.Engine.Metrics;
using Kukai.Engine.Plans;

namespace Kukai.Kafka.Tests.Testing;

/// <summary>Real cluster messages of every topic's kinds.</summary>
internal static class TestMessages
{
    private static readonly DateTimeOffset At = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public static HeartbeatMessage Heartbeat(string driverId, long seq) =>
        new("host-" + driverId, DriverState.Idle, null, seq * 10, seq * 9, null) { DriverId = driverId, Seq = seq, SentAt = At.AddSeconds(seq) };

    public static RegisterMessage Register(string driverId) =>
        new("host-" + driverId, 4242, "1.0.0", 8, At) { DriverId = driverId, SentAt = At };

    public static ReportMessage Report(string driverId, string testId, long seq) =>
        new(seq, seq + 0.5, [CountersDto.From(new TargetCounters())], null) { DriverId = driverId, TestId = testId, Seq = seq, SentAt = At.AddSeconds(seq) };

    public static StartMessage Start(string testId, params string[] drivers) =>
        new(new LoadPlan { Rps = 100, DurationSeconds = 5, Targets = [new TargetPlan { Url = "http://127.0.0.1:8080/ping" }] }, drivers, At.AddSeconds(2), null)
        {
            TestId = testId,
            Seq = 1,
            SentAt = At,
            OrchestratorId = "orch-1",
        };

    public static StopMessage Stop(string testId) => new() { TestId = testId, Seq = 2, SentAt = At, OrchestratorId = "orch-1" };
}
