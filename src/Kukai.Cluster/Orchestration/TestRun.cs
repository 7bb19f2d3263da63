using Kukai.Cluster.Messages;
using Kukai.Engine.Metrics;
using Kukai.Engine.Plans;
using Kukai.Results;

namespace Kukai.Cluster.Orchestration;

/// <summary>
/// One test while the orchestrator runs it: the state machine and everything received from its drivers. Mutable,
/// guarded by the runtime's lock; <see cref="OrchestratorRuntime"/> is the only writer.
/// </summary>
internal sealed class TestRun
{
    public TestRun(string id, LoadPlan plan, IReadOnlyList<string> drivers, DateTimeOffset createdAt, DateTimeOffset startAt)
    {
        Id = id;
        Plan = plan;
        Drivers = drivers;
        CreatedAt = createdAt;
        StartAt = startAt;
        Store = new TestMetricsStore([.. plan.Targets.Select(t => t.Key)]);
        foreach (var d in drivers)
        {
            Store.AddDriver(d);
            Reports[d] = new ReportTracker();
        }
    }

    /// <summary>
    /// A test a previous orchestrator left running, taken up again: its plan, drivers and state from the checkpoint,
    /// its measurements empty until the drivers send their reports again.
    /// </summary>
    public static TestRun Resume(TestSummary checkpoint, ResumeState state, string uploadsFolder, DateTimeOffset now)
    {
        var run = new TestRun(checkpoint.TestId, checkpoint.Plan, checkpoint.Drivers, state.CreatedAt, state.StartAt)
        {
            ResumedFrom = checkpoint,
            ResumedAt = now,
            StopRequested = state.StopRequestedAt is not null,
            StopRequestedAt = state.StopRequestedAt,
        };
        foreach (var (driver, lost) in state.Lost.Where(l => run.Includes(l.Key)))
        {
            run.LostAt[driver] = lost.At;
            if (lost.Note is { } note)
            {
                run.LossNotes[driver] = note;
            }

            if (lost.Dropped)
            {
                run.Dropped.Add(driver);
            }
        }

        foreach (var driver in run.Drivers)
        {
            var path = Path.Combine(uploadsFolder, UploadFileName(driver));
            if (File.Exists(path))
            {
                run.Uploads[driver] = path;
            }
        }

        run.Warnings.AddRange(state.Warnings);
        if (now >= run.StartAt)
        {
            run.MoveTo(TestState.Running); // not "starting" again while the bus is joined and the reports come back
        }

        return run;
    }

    /// <summary>A driver's accepted per-request rows in the test's upload folder (a file being received has another name).</summary>
    public static string UploadFileName(string driverId) => $"{driverId}.arrow";

    public string Id { get; }

    public LoadPlan Plan { get; }

    public IReadOnlyList<string> Drivers { get; }

    public DateTimeOffset CreatedAt { get; }

    public DateTimeOffset StartAt { get; }

    public TestState State { get; private set; } = TestState.Starting;

    public TestMetricsStore Store { get; }

    public Dictionary<string, DateTimeOffset> LostAt { get; } = new(StringComparer.Ordinal);

    /// <summary>Why each driver was lost (said in the results if it stays lost).</summary>
    public Dictionary<string, string> LossNotes { get; } = new(StringComparer.Ordinal);

    /// <summary>Drivers that stopped running the test without finishing it: lost for good.</summary>
    public HashSet<string> Dropped { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Acked { get; } = new(StringComparer.Ordinal);

    /// <summary>When each driver sent its acknowledgement (as it stamps messages, to order its later heartbeats against it).</summary>
    public Dictionary<string, DateTimeOffset> AckSentAt { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Each driver's clock offset to the orchestrator's as it acknowledged the start: the one it scheduled the test
    /// with, so its local start and end times plus this are on the orchestrator's clock.
    /// </summary>
    public Dictionary<string, TimeSpan> ClockOffsets { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, FinishedMessage> Finished { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, ReportTracker> Reports { get; } = new(StringComparer.Ordinal);

    /// <summary>Per-request files uploaded by drivers (driver id → spooled path).</summary>
    public Dictionary<string, string> Uploads { get; } = new(StringComparer.Ordinal);

    public bool StopRequested { get; set; }

    /// <summary>The reports applied so far, on disk for a restart (null until opened).</summary>
    public ReportJournal? Journal { get; set; }

    /// <summary>The checkpoint this test was resumed from (null: this orchestrator started it). Its numbers are the fallback when no driver comes back.</summary>
    public TestSummary? ResumedFrom { get; private init; }

    /// <summary>When this orchestrator took the test up again.</summary>
    public DateTimeOffset? ResumedAt { get; private init; }

    /// <summary>When the drivers of a resumed test were last asked to send everything again.</summary>
    public DateTimeOffset? ReplayAskedAt { get; set; }

    /// <summary>
    /// A resumed test whose drivers have not yet sent again as much as its checkpoint held: a checkpoint now would hold
    /// less than the one on disk.
    /// </summary>
    public bool Recovering => ResumedFrom is { } from && CompletedSoFar < from.Aggregate.Count;

    /// <summary>Requests completed in the reports applied so far, every driver.</summary>
    public long CompletedSoFar => Store.Progress().Values.Sum(p => p.Completed);

    /// <summary>What a restarted orchestrator needs to take this test up again (see <see cref="Resume"/>).</summary>
    public ResumeState ResumeState() => new()
    {
        CreatedAt = CreatedAt,
        StartAt = StartAt,
        StopRequestedAt = StopRequestedAt,
        Lost = LostAt.ToDictionary(l => l.Key, l => new LostDriver(l.Value, LossNotes.GetValueOrDefault(l.Key), Dropped.Contains(l.Key)), StringComparer.Ordinal),
        Warnings = [.. Warnings],
    };

    public DateTimeOffset? StopRequestedAt { get; set; }

    /// <summary>When every remaining driver had finished (metrics may still be missing).</summary>
    public DateTimeOffset? AllFinishedAt { get; set; }

    public DateTimeOffset? LastResendAt { get; set; }

    /// <summary>Set once results are being written, so they are written once.</summary>
    public bool Finalizing { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public string? Reason { get; set; }

    /// <summary>Gaps that stayed after resend requests, for the summary.</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>Guards <see cref="CachedStats"/> (views compute stats outside the runtime's lock).</summary>
    public Lock StatsGate { get; } = new();

    /// <summary>The last stats computed for views, when, and for how long views reuse them.</summary>
    public (DateTimeOffset At, TimeSpan Ttl, TestStats Stats)? CachedStats { get; set; }

    /// <summary>The summary once written.</summary>
    public TestSummary? Summary { get; set; }

    /// <summary>Whether a driver takes part in this test (a lookup, not a scan: thousands of drivers report every second).</summary>
    public bool Includes(string driverId) => Reports.ContainsKey(driverId);

    public IEnumerable<string> ActiveDrivers => Drivers.Where(d => !LostAt.ContainsKey(d));

    /// <summary>Whether a lost driver may still be heard from again: one lost for its silence, not one that dropped the test.</summary>
    public bool HasLostThatMayReturn => LostAt.Keys.Any(d => !Dropped.Contains(d));

    /// <summary>Moves the state machine; a transition it does not allow is a bug.</summary>
    public void MoveTo(TestState next)
    {
        if (!TestStates.CanMove(State, next))
        {
            throw new InvalidOperationException($"test {Id} cannot move from {State} to {next}");
        }

        State = next;
    }

    /// <summary>The test's duration so far: from the synchronised start to the end (or now).</summary>
    public double ElapsedSeconds(DateTimeOffset now) =>
        Math.Max(0, ((EndedAt ?? now) - StartAt).TotalSeconds);
}
