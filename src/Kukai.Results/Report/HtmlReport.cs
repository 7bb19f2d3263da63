using Kukai.Engine.Metrics;
using Kukai.Results.Arrow;

namespace Kukai.Results.Report;

/// <summary>
/// <c>report.html</c> (SPEC §4): one self-contained page — header, key figures, summary tables for the aggregate, each
/// target and each driver, thresholds, and charts (throughput, latency over time, percentile curve, errors by kind,
/// late and dropped). Inline CSS and script, no network: it opens from <c>file://</c> anywhere.
/// </summary>
public static class HtmlReport
{
    /// <summary>
    /// Per-driver lines (report.html's throughput chart, the dashboard's live rows) are drawn up to this many drivers;
    /// beyond, only the totals.
    /// </summary>
    public const int MaxDriverLines = 32;

    /// <summary>The page for a finished test.</summary>
    /// <param name="summary">The test's <c>summary.json</c> content; its timeline feeds the time charts.</param>
    /// <param name="timeseries">The per-driver rows of <c>timeseries.csv</c> (per-driver throughput); may be empty.</param>
    /// <param name="percentileCurve">The points of <c>latency.hgrm</c>; empty means no percentile chart.</param>
    public static string Render(TestSummary summary, IReadOnlyList<TimeseriesRow> timeseries, IReadOnlyList<HgrmPoint> percentileCurve) =>
        ReportPage.Render(summary, timeseries, percentileCurve, [], curveNote: null);

    /// <summary>Renders the page and writes it atomically as the folder's <c>report.html</c>.</summary>
    public static void Write(ResultsFolder folder, TestSummary summary, IReadOnlyList<TimeseriesRow> timeseries, IReadOnlyList<HgrmPoint> percentileCurve)
    {
        ArgumentNullException.ThrowIfNull(folder);
        AtomicFile.WriteAllText(folder.FilePath(ResultsFolder.ReportFile), Render(summary, timeseries, percentileCurve));
    }

    /// <summary>
    /// Rewrites the folder's <c>report.html</c> from its <c>summary.json</c>, <c>timeseries.csv</c> and <c>latency.hgrm</c>
    /// (what <c>kukai report DIR</c> does). <c>summary.json</c> is required; a missing or unreadable optional file only
    /// leaves its charts out, with a note on the page saying why.
    /// </summary>
    /// <returns>What the page says it left out, and why (a missing or unreadable optional file); empty when nothing.</returns>
    /// <exception cref="FileNotFoundException">The folder has no <c>summary.json</c>.</exception>
    /// <exception cref="InvalidDataException"><c>summary.json</c> cannot be read.</exception>
    public static IReadOnlyList<string> WriteFromFolder(ResultsFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var summaryPath = folder.FilePath(ResultsFolder.SummaryFile);
        if (!File.Exists(summaryPath))
        {
            throw new FileNotFoundException($"{summaryPath}: no such file; is {folder.Path} a Kukai results folder?", summaryPath);
        }

        var summary = folder.ReadSummary();
        var notes = new List<string>();
        var timeseries = ReadOptional(folder, ResultsFolder.TimeseriesFile, TimeseriesCsv.Read, notes, "no per-driver throughput") ?? [];
        string? curveNote = null;
        var curve = ReadOptional(folder, ResultsFolder.HgrmFile, HgrmReader.Read, notes, "no percentile curve");
        if (curve is null)
        {
            curveNote = notes[^1];
        }

        if (summary.RecordedRequests is { } recorded)
        {
            var rows = ReadOptional(folder, ResultsFolder.RequestsFile, CountRequestRows, notes, $"the summary counts {recorded} recorded requests that this folder does not hold");
            if (rows is long held && held != recorded)
            {
                notes.Add($"{ResultsFolder.RequestsFile} holds {held} rows; the summary counts {recorded} recorded requests.");
            }
        }

        var html = ReportPage.Render(summary, timeseries, curve ?? [], notes, curveNote);
        AtomicFile.WriteAllText(folder.FilePath(ResultsFolder.ReportFile), html);
        return notes;
    }

    // The rows of a requests.arrow file with Kukai's schema (boxed: ReadOptional takes reference types).
    private static object CountRequestRows(string path)
    {
        using var reader = ArrowFileReader.Open(path);
        if (!reader.Schema.Equals(RequestRowSchema.Schema))
        {
            throw new InvalidDataException("its columns are not those of SPEC §4");
        }

        return reader.CountRows();
    }

    private static T? ReadOptional<T>(ResultsFolder folder, string name, Func<string, T> read, List<string> notes, string consequence)
        where T : class
    {
        var path = folder.FilePath(name);
        if (!File.Exists(path))
        {
            notes.Add($"{name} is missing: {consequence}.");
            return null;
        }

        try
        {
            return read(path);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or FormatException or OverflowException or UnauthorizedAccessException)
        {
            notes.Add($"{name} could not be read ({ex.Message}): {consequence}.");
            return null;
        }
    }
}
