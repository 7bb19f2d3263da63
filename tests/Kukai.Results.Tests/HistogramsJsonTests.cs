using Kukai.Engine.Metrics;
using Kukai.Engine.Protocols;
using Kukai.TestSupport;

namespace Kukai.Results.Tests;

public sealed class HistogramsJsonTests
{
    private static TestMetricsStore Store()
    {
        var store = new TestMetricsStore(["http://a/", "b:9000"]);
        foreach (var (driver, scale) in new[] { ("d1", 1), ("d2", 7) })
        {
            var a = new TargetCounters();
            var b = new TargetCounters();
            for (var i = 0; i < 500; i++)
            {
                (i % 3 == 0 ? b : a).Record(new RequestOutcome(ErrorKind.None, 200, 1, 2), scale * (100 + (i * i)), scale * (50 + i), 0, Lateness.OnTime);
            }

            store.Apply(driver, new IntervalSnapshot(0, 1, [a, b]));
        }

        return store;
    }

    [Fact]
    public void Read_WhatWriteWrote_EveryScopeSameHistograms()
    {
        using var dir = new TempDirectory();
        var folder = new ResultsFolder(dir.Path);
        var written = Store().Histograms();

        folder.WriteHistograms(written);
        var read = folder.ReadHistograms()!;

        Assert.Equal(["d1", "d2"], read.PerDriver.Keys);
        Assert.Equal(["b:9000", "http://a/"], read.PerTarget.Keys);
        foreach (var (w, r) in new[] { (written.Aggregate, read.Aggregate) }
            .Concat(written.PerDriver.Keys.Select(k => (written.PerDriver[k], read.PerDriver[k])))
            .Concat(written.PerTarget.Keys.Select(k => (written.PerTarget[k], read.PerTarget[k]))))
        {
            Assert.True(w.Latency.ContentEquals(r.Latency));
            Assert.True(w.ServiceTime.ContentEquals(r.ServiceTime));
        }
    }

    [Fact]
    public void AddPercentiles_FromHistogramsReadBack_SameAsFromTheCounters()
    {
        using var dir = new TempDirectory();
        var folder = new ResultsFolder(dir.Path);
        var store = Store();
        folder.WriteHistograms(store.Histograms());
        double[] asked = [12.5, 99.99];

        var fromCounters = store.Stats(1, asked);
        var fromFile = folder.ReadHistograms()!.AddPercentiles(store.Stats(1), asked);

        Assert.Equal(Extra(fromCounters), Extra(fromFile));
        Assert.Equal(["12.5", "99.99"], fromFile.Aggregate.LatencyMs.Percentiles!.Keys);

        static string Extra(TestStats s) => string.Join(
            "; ",
            new[] { s.Aggregate }.Concat(s.PerDriver.Values).Concat(s.PerTarget.Values)
                .SelectMany(x => x.LatencyMs.Percentiles!.Concat(x.ServiceTimeMs.Percentiles!))
                .Select(kv => $"{kv.Key}={kv.Value}"));
    }

    [Fact]
    public void ReadHistograms_NoFile_Null()
    {
        using var dir = new TempDirectory();

        Assert.Null(new ResultsFolder(dir.Path).ReadHistograms());
    }

    [Theory]
    [InlineData("""{ "format": "something-else", "version": 1 }""", "not a kukai-histograms document")]
    [InlineData("""{ "format": "kukai-histograms", "version": 2 }""", "not a kukai-histograms document")]
    [InlineData("""{ "format": "kukai-histograms", "version": 1.5 }""", "not a kukai-histograms document")]
    [InlineData("""[1, 2]""", "not a kukai-histograms document")]
    [InlineData("""{ "format": "kukai-histograms", "version": 1, "perDriver": {}, "perTarget": {} }""", "aggregate is missing")]
    [InlineData("""{ "format": "kukai-histograms", "version": 1, "aggregate": { "latency": "AA==", "serviceTime": "AA==" }, "perDriver": {}, "perTarget": {} }""", "aggregate.latency:")]
    [InlineData("""{ "format": "kukai-histograms", "version": 1, "aggregate": { "latency": "AQA=", "serviceTime": "AQA=" }, "perDriver": { "d1": { "latency": "%%" } }, "perTarget": {} }""", "perDriver.d1.latency is not base64")]
    [InlineData("""{ "format": "kukai-histograms", """, "histograms.json:")]
    public void ReadHistograms_Malformed_InvalidDataNamingTheFileAndField(string json, string expected)
    {
        using var dir = new TempDirectory();
        var folder = new ResultsFolder(dir.Path);
        File.WriteAllText(folder.FilePath(ResultsFolder.HistogramsFile), json);

        var ex = Assert.Throws<InvalidDataException>(() => folder.ReadHistograms());

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith(folder.FilePath(ResultsFolder.HistogramsFile), ex.Message, StringComparison.Ordinal);
    }
}
