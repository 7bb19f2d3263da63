using Kukai.Results;

namespace Kukai.Cli.Standalone;

/// <summary>A finished standalone run: its summary and where its files are.</summary>
public sealed record StandaloneResult(TestSummary Summary, string ResultsPath)
{
    /// <summary>0, or 1 when a threshold failed (SPEC §1).</summary>
    public int ExitCode => Summary.Thresholds.All(t => t.Passed) ? ExitCodes.Success : ExitCodes.ThresholdFailed;
}
