using Kukai.Engine.Metrics;
using Kukai.Results.Report;

namespace Kukai.Results.Tests.Report;

/// <summary>The inputs of one report: a test's summary, its per-driver rows and its <c>latency.hgrm</c> text.</summary>
public sealed record ReportSample(string Name, TestSummary Summary, IReadOnlyList<TimeseriesRow> Timeseries, string? Hgrm)
{
    public IReadOnlyList<HgrmPoint> Curve => Hgrm is null ? [] : HgrmReader.Parse(Hgrm);

    public string Render() => HtmlReport.Render(Summary, Timeseries, Curve);

    /// <summary>Writes the results files (summary.json, timeseries.csv, latency.hgrm when present) into <paramref name="path"/>.</summary>
    public ResultsFolder WriteFolder(string path, bool timeseries = true)
    {
        var folder = new ResultsFolder(path);
        folder.Create();
        if (timeseries)
        {
            folder.WriteTimeseries(Timeseries);
        }

        if (Hgrm is not null)
        {
            AtomicFile.WriteAllText(folder.FilePath(ResultsFolder.HgrmFile), Hgrm);
        }

        folder.WriteSummary(Summary);
        return folder;
    }

    public override string ToString() => Name;
}
