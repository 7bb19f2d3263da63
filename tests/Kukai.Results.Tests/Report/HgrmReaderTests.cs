using Kukai.Engine.Histograms;
using Kukai.Results.Report;
using Kukai.TestSupport;

namespace Kukai.Results.Tests.Report;

public sealed class HgrmReaderTests
{
    // HdrHistogram (Java) outputPercentileDistribution(System.out, 1000.0) of 10 000 values 1..10 000 µs, abridged.
    private const string JavaOutput = """
               Value     Percentile TotalCount 1/(1-Percentile)

               0.001 0.000000000000          1           1.00
               1.000 0.100000000000       1000           1.11
               5.003 0.500000000000       5003           2.00
               9.007 0.900000000000       9007          10.00
               9.903 0.990625000000       9903         106.67
              10.007 0.999023437500      10000        1024.00
              10.007 1.000000000000      10000
        #[Mean    =        5.001, StdDeviation   =        2.887]
        #[Max     =       10.007, Total count    =        10000]
        #[Buckets =           14, SubBuckets     =         2048]

        """;

    // The same with useCsvFormat = true: quoted header, "Infinity" on the last row, no footer.
    private const string JavaCsvOutput = """
        "Value","Percentile","TotalCount","1/(1-Percentile)"
        0.001,0.000000000000,1,1.00
        5.003,0.500000000000,5003,2.00
        10.007,1.000000000000,10000,Infinity

        """;

    // HdrHistogram_c hdr_percentiles_print(..., CLASSIC): six-digit percentiles and "inf" on the last row.
    private const string COutput = """
               Value   Percentile   TotalCount 1/(1-Percentile)

               0.001     0.000000            1         1.00
               5.003     0.500000         5003         2.00
              10.007     1.000000        10000          inf
        #[Mean    =        5.001, StdDeviation   =        2.887]
        #[Max     =       10.007, Total count    =        10000]
        #[Buckets =           14, SubBuckets     =         2048]

        """;

    [Fact]
    public void Parse_HdrHistogramJavaOutput_ReadsEveryRow()
    {
        var points = HgrmReader.Parse(JavaOutput);

        Assert.Equal(
            [
                new HgrmPoint(0.001, 0, 1), new HgrmPoint(1.0, 0.1, 1000), new HgrmPoint(5.003, 0.5, 5003), new HgrmPoint(9.007, 0.9, 9007),
                new HgrmPoint(9.903, 0.990625, 9903), new HgrmPoint(10.007, 0.9990234375, 10000), new HgrmPoint(10.007, 1, 10000),
            ],
            points);
    }

    [Fact]
    public void Parse_HdrHistogramCsvOutput_ReadsRowsAndInfinity()
    {
        Assert.Equal(
            [new HgrmPoint(0.001, 0, 1), new HgrmPoint(5.003, 0.5, 5003), new HgrmPoint(10.007, 1, 10000)],
            HgrmReader.Parse(JavaCsvOutput));
    }

    [Fact]
    public void Parse_HdrHistogramCOutput_ReadsRowsAndInf()
    {
        Assert.Equal(
            [new HgrmPoint(0.001, 0, 1), new HgrmPoint(5.003, 0.5, 5003), new HgrmPoint(10.007, 1, 10000)],
            HgrmReader.Parse(COutput));
    }

    [Fact]
    public void Parse_HgrmWriterOutput_MatchesTheHistogram()
    {
        var h = new LatencyHistogram();
        for (long us = 1; us <= 10_000; us++)
        {
            h.Record(us);
        }

        h.RecordMany(250_000, 7);
        var text = HgrmWriter.Format(h);

        var points = HgrmReader.Parse(text);

        var rows = text.Split('\n').Count(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#') && !l.TrimStart().StartsWith("Value", StringComparison.Ordinal));
        Assert.Equal(rows, points.Count);
        Assert.Equal(new HgrmPoint(0.001, 0, 1), points[0]);
        Assert.Equal(new HgrmPoint(250, 1, h.Count), points[^1]);
        for (var i = 1; i < points.Count; i++)
        {
            Assert.True(points[i].Percentile >= points[i - 1].Percentile && points[i].ValueMs >= points[i - 1].ValueMs, $"row {i} goes backwards");
            if (points[i].Percentile < 1)
            {
                // Each row's value is its bucket's highest equivalent: at or above the histogram's value at that percentile.
                Assert.True(points[i].ValueMs * 1000 >= h.ValueAtPercentile(points[i].Percentile * 100) - 0.5, $"row {i}: {points[i]}");
                Assert.True(points[i].TotalCount >= points[i].Percentile * h.Count, $"row {i}: {points[i]}");
            }
        }
    }

    [Fact]
    public void Parse_EmptyHistogram_NoPoints()
    {
        Assert.Empty(HgrmReader.Parse(HgrmWriter.Format(new LatencyHistogram())));
    }

    [Fact]
    public void Read_FileWrittenByResultsFolder_ReadsPoints()
    {
        using var dir = new TempDirectory();
        var h = new LatencyHistogram();
        h.RecordMany(1_500, 10);
        var folder = new ResultsFolder(dir.Path);
        folder.WriteHgrm(h);

        var points = HgrmReader.Read(folder.FilePath(ResultsFolder.HgrmFile));

        Assert.Equal(new HgrmPoint(1.5, 1, 10), points[^1]);
        Assert.All(points, p => Assert.Equal(1.5, p.ValueMs));
    }

    [Theory]
    [InlineData("       1.000 0.5 10 2.00\n       abc 0.6 11 2.50\n", 2, "Value 'abc'")]
    [InlineData("       1.000 1.5 10 2.00\n", 1, "Percentile '1.5'")]
    [InlineData("       1.000 0.5 ten 2.00\n", 1, "TotalCount 'ten'")]
    [InlineData("       1.000 0.5 10 2.00 7\n", 1, "expected 3 or 4 columns")]
    [InlineData("       1.000 0.5\n", 1, "expected 3 or 4 columns")]
    [InlineData("       1.000 0.5 10 x\n", 1, "1/(1-Percentile) 'x'")]
    [InlineData("       -1.0 0.5 10 2.00\n", 1, "Value '-1.0'")]
    [InlineData("Value Percentile TotalCount 1/(1-Percentile)\n\n 1.0 0.9 90 10\n 2.0 0.5 95 2\n", 4, "must not decrease")]
    [InlineData(" 1.0 0.5 90 10\n 2.0 0.6 80 2.5\n", 2, "must not decrease")]
    [InlineData(" 1.0 NaN 90 10\n", 1, "Percentile 'NaN'")]
    public void Parse_MalformedLine_ThrowsNamingTheLine(string text, int line, string message)
    {
        var ex = Assert.Throws<InvalidDataException>(() => HgrmReader.Parse(text, "x.hgrm"));

        Assert.StartsWith($"x.hgrm:{line}: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MalformedFile_MessageNamesThePath()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "latency.hgrm");
        File.WriteAllText(path, "Value Percentile TotalCount 1/(1-Percentile)\n\n 1.0 0.5 1 2\n oops\n");

        var ex = Assert.Throws<InvalidDataException>(() => HgrmReader.Read(path));

        Assert.StartsWith(path + ":4: ", ex.Message, StringComparison.Ordinal);
    }
}
