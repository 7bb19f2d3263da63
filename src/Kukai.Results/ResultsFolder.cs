using System.Text.Json;
using Kukai.Engine.Histograms;
using Kukai.Engine.Metrics;

namespace Kukai.Results;

/// <summary>
/// The files of one test's results folder (SPEC §4). Every file is written to a temporary name and renamed, so none
/// is ever seen half written; a folder with a <c>summary.json</c> holds a finished test.
/// </summary>
public sealed class ResultsFolder
{
    public const string SummaryFile = "summary.json";
    public const string TimeseriesFile = "timeseries.csv";
    public const string RequestsFile = "requests.arrow";
    public const string HgrmFile = "latency.hgrm";
    public const string ReportFile = "report.html";
    public const string HistogramsFile = "histograms.json";

    /// <summary>Every file name a results folder may hold, in the order the API lists them.</summary>
    public static readonly IReadOnlyList<string> FileNames = [SummaryFile, TimeseriesFile, RequestsFile, HgrmFile, ReportFile, HistogramsFile];

    public ResultsFolder(string path) => Path = System.IO.Path.GetFullPath(path);

    public string Path { get; }

    public string FilePath(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>
    /// Creates the folder (and parents) and checks that files can be written in it, so a run learns before it starts,
    /// not at its end, that its results would be lost. A clear <see cref="IOException"/> (naming the folder) when not.
    /// </summary>
    public void Create()
    {
        try
        {
            Directory.CreateDirectory(Path);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new IOException($"cannot create results folder {Path}: {ex.Message}", ex);
        }

        var probe = FilePath($".write-probe-{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new IOException($"cannot write in results folder {Path}: {ex.Message}", ex);
        }
    }

    public void WriteTimeseries(IEnumerable<TimeseriesRow> rows) =>
        AtomicFile.Write(FilePath(TimeseriesFile), s => TimeseriesCsv.Write(s, rows));

    public void WriteHgrm(LatencyHistogram latency) =>
        AtomicFile.WriteAllText(FilePath(HgrmFile), HgrmWriter.Format(latency));

    /// <summary>Writes <c>report.html</c> from the test's data (the percentile curve from the aggregate histogram).</summary>
    public void WriteReport(TestSummary summary, IReadOnlyList<TimeseriesRow> rows, LatencyHistogram latency) =>
        Report.HtmlReport.Write(this, summary, rows, Report.HgrmReader.Parse(HgrmWriter.Format(latency)));

    /// <summary>
    /// Writes a finished test's files from its merged measurements: <c>summary.json</c> first (small, and what every
    /// reader needs), then <c>histograms.json</c>, the timeseries, <c>latency.hgrm</c> and the report (which
    /// <c>kukai report DIR</c> can write again from the others). (<c>requests.arrow</c> is written as it runs.)
    /// A file that fails does not keep the others from being written.
    /// </summary>
    /// <exception cref="IOException">One or more files could not be written (the message names each, and why).</exception>
    public void WriteFinal(TestSummary summary, TestMetricsStore store)
    {
        var rows = store.Timeseries();
        var histograms = store.Histograms();
        var latency = histograms.Aggregate.Latency;
        var failed = new List<string>();
        Exception? first = null;
        void Write(string name, Action write)
        {
            try
            {
                write();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                failed.Add(name);
                first ??= ex;
            }
        }

        Write(SummaryFile, () => WriteSummary(summary));
        Write(HistogramsFile, () => WriteHistograms(histograms));
        Write(TimeseriesFile, () => WriteTimeseries(rows));
        Write(HgrmFile, () => WriteHgrm(latency));
        Write(ReportFile, () => WriteReport(summary, rows, latency));
        if (failed.Count > 0)
        {
            throw new IOException($"could not write {string.Join(", ", failed)} ({first!.Message})", first);
        }
    }

    public void WriteHistograms(TestHistograms histograms) =>
        AtomicFile.Write(FilePath(HistogramsFile), s => HistogramsJson.Write(s, histograms));

    /// <summary>The test's histograms, or null when the folder has none (a test from before they were kept).</summary>
    /// <exception cref="InvalidDataException">The file is malformed (the message names it and the field).</exception>
    public TestHistograms? ReadHistograms() =>
        FilePath(HistogramsFile) is var path && File.Exists(path) ? HistogramsJson.Read(path) : null;

    public void WriteSummary(TestSummary summary) =>
        AtomicFile.Write(FilePath(SummaryFile), s => JsonSerializer.Serialize(s, summary, ResultsJson.Options));

    public TestSummary ReadSummary()
    {
        var path = FilePath(SummaryFile);
        using var stream = File.OpenRead(path);
        try
        {
            var summary = JsonSerializer.Deserialize<TestSummary>(stream, ResultsJson.Reading)
                ?? throw new InvalidDataException($"{path}: empty document");
            return NullElement(summary) is { } field ? throw new InvalidDataException($"{path}: {field}: null is not allowed here") : summary;
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: {ex.Message}", ex);
        }
    }

    // The serializer checks properties, not the elements of lists and maps: the path of a null element, or null.
    private static string? NullElement(TestSummary s)
    {
        static string? In<T>(IReadOnlyList<T?> items, string field)
            where T : class
        {
            for (var i = 0; i < items.Count; i++)
            {
                if (items[i] is null)
                {
                    return $"{field}[{i}]";
                }
            }

            return null;
        }

        static string? InMap(IReadOnlyDictionary<string, StatsSummary> map, string field) =>
            map.Where(kv => (StatsSummary?)kv.Value is null).Select(kv => $"{field}.{kv.Key}").FirstOrDefault();

        return In(s.Drivers, "drivers") ?? In(s.LostDrivers, "lostDrivers") ?? In(s.Thresholds, "thresholds")
            ?? In(s.Timeline, "timeline") ?? In(s.SaturatedSeconds, "saturatedSeconds")
            ?? InMap(s.PerDriver, "perDriver") ?? InMap(s.PerTarget, "perTarget");
    }

    /// <summary>Names of the files present.</summary>
    public IReadOnlyList<string> ExistingFiles() => [.. FileNames.Where(n => File.Exists(FilePath(n)))];
}
