using Kukai.Results.Arrow;

using Kukai.TestSupport;

namespace Kukai.Results.Tests.Arrow;

/// <summary>
/// Files we write are read by the official apache-arrow JS implementation, and files it writes are read by
/// ours: proof that both sides follow the Arrow IPC file format rather than each other.
/// </summary>
[Collection(NodeArrowCollection.Name)]
public sealed class ApacheArrowInteropTests(NodeArrowFixture node) : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task RequestRowWriter_ManyBatches_ApacheArrowReadsSchemaAndEveryValue()
    {
        var rows = TestRows.Mixed(10_000);
        string path = _temp.File("requests.arrow");
        TestRows.Write(path, rows, batchRows: 1000);

        using var doc = await node.ReadAsync(path);

        TestRows.AssertNodeSchema(doc.RootElement.GetProperty("schema"));
        Assert.Equal(Enumerable.Repeat(1000, 10), TestRows.BatchLengths(doc.RootElement));
        TestRows.AssertNodeRows(doc.RootElement.GetProperty("rows"), rows);
    }

    [Fact]
    public async Task RequestRowWriter_BatchSizeNotDividingRowCount_ApacheArrowReadsPartialLastBatch()
    {
        var rows = TestRows.Mixed(2_503);
        string path = _temp.File("requests.arrow");
        TestRows.Write(path, rows, batchRows: 1000);

        using var doc = await node.ReadAsync(path);

        Assert.Equal([1000, 1000, 503], TestRows.BatchLengths(doc.RootElement));
        TestRows.AssertNodeRows(doc.RootElement.GetProperty("rows"), rows);
    }

    [Fact]
    public async Task RequestRowWriter_ZeroRows_ApacheArrowReadsSchemaAndNoBatches()
    {
        string path = _temp.File("empty.arrow");
        TestRows.Write(path, [], batchRows: 1000);

        using var doc = await node.ReadAsync(path);

        TestRows.AssertNodeSchema(doc.RootElement.GetProperty("schema"));
        Assert.Equal(0, doc.RootElement.GetProperty("numRecordBatches").GetInt32());
        Assert.Equal(0, doc.RootElement.GetProperty("rows").GetArrayLength());
    }

    [Fact]
    public async Task RequestRowWriter_ErrorRowsMixingNullAndText_ApacheArrowSeesExactNulls()
    {
        var rows = Enumerable.Range(0, 37)
            .Select(i => new RequestRow(i, "d", "t", i, 0, false, (i % 3) switch { 0 => null, 1 => "timeout", _ => "" }, 0, 0))
            .ToArray();
        string path = _temp.File("errors.arrow");
        TestRows.Write(path, rows, batchRows: 8);

        using var doc = await node.ReadAsync(path);

        Assert.Equal([8, 8, 8, 8, 5], TestRows.BatchLengths(doc.RootElement));
        TestRows.AssertNodeRows(doc.RootElement.GetProperty("rows"), rows);
    }

    [Fact]
    public async Task RequestRowWriter_ExtremeValuesAndNonAsciiStrings_ApacheArrowReadsThemExactly()
    {
        var rows = TestRows.Extremes();
        string path = _temp.File("extremes.arrow");
        TestRows.Write(path, rows, batchRows: 3);

        using var doc = await node.ReadAsync(path);

        TestRows.AssertNodeRows(doc.RootElement.GetProperty("rows"), rows);
    }

    [Fact]
    public async Task Concatenate_SeveralFiles_ApacheArrowReadsAllBatchesInOrder()
    {
        var first = TestRows.Mixed(1_500);
        var second = TestRows.Extremes();
        var third = TestRows.Mixed(10);
        string[] inputs = [_temp.File("a.arrow"), _temp.File("b.arrow"), _temp.File("empty.arrow"), _temp.File("c.arrow")];
        TestRows.Write(inputs[0], first, batchRows: 1000);
        TestRows.Write(inputs[1], second, batchRows: 65_536);
        TestRows.Write(inputs[2], [], batchRows: 10);
        TestRows.Write(inputs[3], third, batchRows: 4);
        string merged = _temp.File("merged.arrow");
        using (var output = File.Create(merged))
        {
            ArrowFileConcatenator.Concatenate(inputs, output);
        }

        using var doc = await node.ReadAsync(merged);

        TestRows.AssertNodeSchema(doc.RootElement.GetProperty("schema"));
        Assert.Equal([1000, 500, 4, 4, 4, 2], TestRows.BatchLengths(doc.RootElement));
        TestRows.AssertNodeRows(doc.RootElement.GetProperty("rows"), [.. first, .. second, .. third]);
    }

    [Fact]
    public async Task RequestRowReader_FileWrittenByApacheArrow_ReadsEveryRow()
    {
        RequestRow[] rows = [.. TestRows.Mixed(2_000), .. TestRows.Extremes()];
        string json = _temp.File("rows.json");
        string path = _temp.File("from-js.arrow");
        TestRows.WriteJson(json, rows);

        await node.WriteAsync(json, path, rowsPerBatch: 700);

        using (var reader = ArrowFileReader.Open(path))
        {
            Assert.Equal(RequestRowSchema.Schema, reader.Schema);
            Assert.Equal(3, reader.RecordBatchCount);
        }

        Assert.Equal(rows, RequestRowReader.ReadAll(path));
    }

    [Fact]
    public async Task Concatenate_FileFromApacheArrowAndOurs_BothImplementationsReadTheMerge()
    {
        var theirs = TestRows.Mixed(300);
        var ours = TestRows.Extremes();
        string json = _temp.File("rows.json");
        string[] inputs = [_temp.File("from-js.arrow"), _temp.File("ours.arrow")];
        TestRows.WriteJson(json, theirs);
        await node.WriteAsync(json, inputs[0], rowsPerBatch: 128);
        TestRows.Write(inputs[1], ours, batchRows: 2);
        string merged = _temp.File("merged.arrow");
        using (var output = File.Create(merged))
        {
            ArrowFileConcatenator.Concatenate(inputs, output);
        }

        using var doc = await node.ReadAsync(merged);

        Assert.Equal([128, 128, 44, 2, 2], TestRows.BatchLengths(doc.RootElement));
        TestRows.AssertNodeRows(doc.RootElement.GetProperty("rows"), [.. theirs, .. ours]);
        Assert.Equal([.. theirs, .. ours], RequestRowReader.ReadAll(merged));
    }
}
