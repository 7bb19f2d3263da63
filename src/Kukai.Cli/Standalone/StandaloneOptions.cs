namespace Kukai.Cli.Standalone;

/// <summary>How <c>kukai run</c> runs a plan: where results go and how progress shows.</summary>
/// <param name="OutDir">Results folder; null = <c>./kukai-results/&lt;test-id&gt;/</c>.</param>
/// <param name="DriverId">The in-process driver's id in results.</param>
/// <param name="Live">Show the live view (a terminal) rather than a line a second.</param>
/// <param name="Quiet">Neither: only the summary.</param>
public sealed record StandaloneOptions(string? OutDir, string DriverId, bool Live, bool Quiet);
