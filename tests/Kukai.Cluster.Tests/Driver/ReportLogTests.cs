using Kukai.Cluster.Driver;
using Kukai.Cluster.Messages;
using Kukai.Engine.Histograms;
using Kukai.Engine.Metrics;
using Kukai.TestSupport;

namespace Kukai.Cluster.Tests.Driver;

public sealed class ReportLogTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Range_SomeOfTheReports_ThoseComeBackEqual()
    {
        var path = _temp.File("t-d.reports");
        using var log = new ReportLog(path);
        var sent = Enumerable.Range(1, 5).Select(i => Report(i)).ToList();
        sent.ForEach(log.Add);

        var again = log.Range(2, 4);

        Assert.True(log.OnDisk);
        Assert.True(File.Exists(path));
        Assert.Equal([2L, 3L, 4L], again.Select(r => r.Seq));
        Assert.Equal(ClusterMessageCodec.Encode(sent[2]), ClusterMessageCodec.Encode(again[1]));
    }

    [Fact]
    public void Dispose_Always_DeletesTheFile()
    {
        var path = _temp.File("t-d.reports");
        var log = new ReportLog(path);
        log.Add(Report(1));

        log.Dispose();

        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Add_UnwritableFolder_KeepsTheReportsInMemory()
    {
        using var log = new ReportLog("/proc/kukai-no-such-folder/t-d.reports");
        log.Add(Report(1));
        log.Add(Report(2));

        Assert.False(log.OnDisk);
        Assert.Equal([2L], log.Range(2, 9).Select(r => r.Seq));
    }

    private static ReportMessage Report(long seq)
    {
        var counters = new TargetCounters { Sent = seq, Count = seq, Ok = seq };
        counters.Latency.RecordMany(1_000 + seq, seq);
        counters.ServiceTime.RecordMany(900, seq);
        counters.ScheduleLag.RecordMany(0, seq);
        return new ReportMessage(seq - 1, 1, [CountersDto.From(counters)], null) { DriverId = "d", TestId = "t", Seq = seq };
    }
}
