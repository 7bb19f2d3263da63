using Kukai.Engine.Metrics;
using Kukai.Engine.Protocols;
using Kukai.Results.Arrow;
using Kukai.TestSupport;

namespace Kukai.Results.Tests;

public sealed class ArrowRecordSinkTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Complete_RecordsOfEveryErrorKindAndTarget_ReadBackAsRows()
    {
        string[] targets = ["http://127.0.0.1:8080/ping", "ターゲット:9000"];
        var kinds = Enum.GetValues<ErrorKind>();
        var records = Enumerable.Range(0, (ArrowRecordSink.ChunkRecords * 2) + 5)
            .Select(i => new RequestRecord(1_700_000_000_000_000_000 + i, i % 2, i * 3L, i % 7 == 0 ? 0 : 200, kinds[i % kinds.Length], 100 + i, 200 + i))
            .ToArray();
        var path = _temp.File("requests.arrow");

        long rows;
        using (var sink = ArrowRecordSink.Create(path, "driver-ü", targets))
        {
            foreach (var chunk in records.Chunk(ArrowRecordSink.ChunkRecords))
            {
                var rented = sink.Rent();
                chunk.CopyTo(rented, 0);
                sink.Submit(rented, chunk.Length);
            }

            rows = sink.Complete();
        }

        Assert.Equal(records.Length, rows);
        var expected = records.Select(r => new RequestRow(
            r.TimestampNs,
            "driver-ü",
            targets[r.TargetIndex],
            r.LatencyUs,
            r.Status,
            r.Error == ErrorKind.None,
            r.Error == ErrorKind.None ? null : r.Error.ToWireName(),
            r.BytesSent,
            r.BytesReceived));
        Assert.Equal(expected, RequestRowReader.ReadAll(path));
    }

    [Fact]
    public void Complete_NothingSubmitted_ValidFileOfZeroRows()
    {
        var path = _temp.File("empty.arrow");

        using (var sink = ArrowRecordSink.Create(path, "d", ["t"]))
        {
            Assert.Equal(0, sink.Complete());
        }

        Assert.Empty(RequestRowReader.ReadAll(path));
    }
}
