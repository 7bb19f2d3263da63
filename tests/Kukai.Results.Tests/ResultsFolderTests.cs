using System.Text.Json.Nodes;
using Kukai.Engine.Metrics;
using Kukai.Results.Tests.Report;
using Kukai.TestSupport;

namespace Kukai.Results.Tests;

public sealed class ResultsFolderTests
{
    [Theory]
    [InlineData("testId", "testId")]
    [InlineData("plan", "plan")]
    [InlineData("aggregate", "aggregate")]
    [InlineData("aggregate.latencyMs", "latencyMs")]
    [InlineData("aggregate.errors", "errors")]
    [InlineData("perDriver", "perDriver")]
    [InlineData("perTarget", "perTarget")]
    [InlineData("thresholds", "thresholds")]
    [InlineData("timeline", "timeline")]
    [InlineData("lostDrivers", "lostDrivers")]
    [InlineData("saturatedSeconds", "saturatedSeconds")]
    [InlineData("drivers[0]", "drivers[0]")]
    [InlineData("thresholds[1]", "thresholds[1]")]
    [InlineData("thresholds[0].threshold", "threshold")]
    [InlineData("timeline[2]", "timeline[2]")]
    [InlineData("perDriver.driver-1", "perDriver.driver-1")]
    public void ReadSummary_NullWhereTheFileMustHaveAValue_InvalidDataNamingTheField(string path, string named)
    {
        using var dir = new TempDirectory();
        var folder = ReportSamples.Realistic().WriteFolder(dir.Path);
        var file = folder.FilePath(ResultsFolder.SummaryFile);
        var json = JsonNode.Parse(File.ReadAllText(file))!;
        SetNull(json, path);
        File.WriteAllText(file, json.ToJsonString());

        var ex = Assert.Throws<InvalidDataException>(folder.ReadSummary);

        Assert.StartsWith(file + ": ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadSummary_AsWritten_EqualsTheSummary()
    {
        using var dir = new TempDirectory();
        var sample = ReportSamples.Realistic();
        var folder = sample.WriteFolder(dir.Path);

        var read = folder.ReadSummary();

        Assert.Equal(sample.Summary.Aggregate.Count, read.Aggregate.Count);
        Assert.Equal(sample.Summary.Thresholds, read.Thresholds);
        Assert.Equal(sample.Summary.Timeline.Count, read.Timeline.Count);
    }

    [Fact]
    public void WriteFinal_ReportCannotBeWritten_EveryOtherFileWrittenAndTheFailureNamed()
    {
        using var dir = new TempDirectory();
        var folder = new ResultsFolder(dir.Path);
        folder.Create();
        Directory.CreateDirectory(folder.FilePath(ResultsFolder.ReportFile)); // a folder where the file should go
        var sample = ReportSamples.Realistic();
        var store = new TestMetricsStore(["http://127.0.0.1:8080/ping"]);
        store.AddDriver("driver-1");

        var ex = Assert.Throws<IOException>(() => folder.WriteFinal(sample.Summary, store));

        Assert.StartsWith("could not write report.html (", ex.Message, StringComparison.Ordinal);
        Assert.Equal(
            [ResultsFolder.SummaryFile, ResultsFolder.TimeseriesFile, ResultsFolder.HgrmFile, ResultsFolder.HistogramsFile],
            folder.ExistingFiles());
        Assert.Equal(sample.Summary.Aggregate.Count, folder.ReadSummary().Aggregate.Count);
    }

    // Sets the value at a path such as "aggregate.latencyMs", "drivers[0]" or "thresholds[0].threshold" to null.
    private static void SetNull(JsonNode root, string path)
    {
        var parts = path.Split('.', 2);
        var head = parts[0];
        var bracket = head.IndexOf('[', StringComparison.Ordinal);
        if (bracket < 0)
        {
            if (parts.Length == 1)
            {
                root[head] = null;
            }
            else
            {
                SetNull(root[head]!, parts[1]);
            }

            return;
        }

        var array = root[head[..bracket]]!.AsArray();
        var index = int.Parse(head[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture);
        if (parts.Length == 1)
        {
            array[index] = null;
        }
        else
        {
            SetNull(array[index]!, parts[1]);
        }
    }
}
