namespace Kukai.Cluster.Orchestration;

/// <summary>
/// What an orchestrator restarted mid-test needs, beyond the checkpoint's summary, to take the test up again
/// (<c>resume.json</c> beside <c>checkpoint.json</c>). The measurements are not in it: the drivers keep every report
/// until the test is released, and send them all again when asked. Uploaded per-request rows stay in the folder's
/// <c>.uploads</c>, one file per driver.
/// </summary>
public sealed record ResumeState
{
    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset StartAt { get; init; }

    public DateTimeOffset? StopRequestedAt { get; init; }

    /// <summary>Drivers already out of the test, and why: they stay out.</summary>
    public IReadOnlyDictionary<string, LostDriver> Lost { get; init; } = new Dictionary<string, LostDriver>(StringComparer.Ordinal);

    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>A driver out of a test: since when, why (said in the results), and whether it dropped the test for good.</summary>
public sealed record LostDriver(DateTimeOffset At, string? Note, bool Dropped);
