using Kukai.Engine.Metrics;
using Kukai.TestSupport;

namespace Kukai.Results.Tests;

public sealed class TimeseriesCsvTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Read_WrittenRows_SameRows()
    {
        TimeseriesRow[] rows =
        [
            new(0, "driver-1", 10, 9, 1, 10, 0.5, 0.9, 1.25, 2),
            new(1, "a \"quoted\", driver", 20, 20, 0, 19.5, 0.25, 0.5, 0.75, 1),
        ];

        var read = TimeseriesCsv.Read(Write(rows));

        Assert.Equal(rows, read);
    }

    [Theory]
    [InlineData("0,d1,abc,1,0,1,0.1,0.1,0.1,0.1", "sent 'abc' is not an integer")]
    [InlineData("0,d1,1,1,0,1,0.1,fast,0.1,0.1", "p90_ms 'fast' is not a number")]
    [InlineData("x,d1,1,1,0,1,0.1,0.1,0.1,0.1", "second 'x' is not an integer")]
    [InlineData("0,d1,1,1,0,1,0.1,0.1,0.1,NaN", "max_ms 'NaN' is not a number")]
    public void Read_BadValue_NamesFileLineColumnAndValue(string row, string expected)
    {
        var path = Write([new(0, "d0", 1, 1, 0, 1, 0.1, 0.1, 0.1, 0.1)]);
        File.AppendAllText(path, row + "\n");

        var error = Assert.Throws<InvalidDataException>(() => TimeseriesCsv.Read(path));

        Assert.Equal($"{path}:3: {expected}", error.Message);
    }

    private string Write(IEnumerable<TimeseriesRow> rows)
    {
        var path = Path.Combine(_dir.Path, "timeseries.csv");
        using (var stream = File.Create(path))
        {
            TimeseriesCsv.Write(stream, rows);
        }

        return path;
    }
}
