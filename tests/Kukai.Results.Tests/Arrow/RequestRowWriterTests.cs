using Kukai.Results.Arrow;
using Kukai.TestSupport;

namespace Kukai.Results.Tests.Arrow;

public sealed class RequestRowWriterTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(10_000, 1000, 10)]
    [InlineData(10_007, 1000, 11)]
    [InlineData(5, 65_536, 1)]
    [InlineData(1, 1, 1)]
    [InlineData(64, 8, 8)]
    public void Append_MixedRows_ReadBackEqualInBatchesOfBatchRows(int rowCount, int batchRows, int expectedBatches)
    {
        var rows = TestRows.Mixed(rowCount);
        string path = _temp.File("requests.arrow");

        TestRows.Write(path, rows, batchRows);

        Assert.Equal(rows, RequestRowReader.ReadAll(path));
        using var reader = ArrowFileReader.Open(path);
        Assert.Equal(expectedBatches, reader.RecordBatchCount);
        for (int b = 0; b < reader.RecordBatchCount; b++)
        {
            Assert.Equal(Math.Min(batchRows, rowCount - (b * batchRows)), reader.ReadRecordBatch(b).Length);
        }
    }

    [Fact]
    public void Complete_ZeroRows_WritesSchemaAndFooterWithNoBatches()
    {
        string path = _temp.File("empty.arrow");

        TestRows.Write(path, [], batchRows: 100);

        using var reader = ArrowFileReader.Open(path);
        Assert.Equal(RequestRowSchema.Schema, reader.Schema);
        Assert.Equal(0, reader.RecordBatchCount);
        Assert.Empty(RequestRowReader.ReadAll(path));
    }

    [Fact]
    public void Append_ExtremeValuesAndNonAsciiStrings_ReadBackEqual()
    {
        var rows = TestRows.Extremes();
        string path = _temp.File("extremes.arrow");

        TestRows.Write(path, rows, batchRows: 2);

        Assert.Equal(rows, RequestRowReader.ReadAll(path));
    }

    [Fact]
    public void Append_ErrorsOnlyMixingNullAndText_NullCountsAndValidityExact()
    {
        var rows = Enumerable.Range(0, 20)
            .Select(i => new RequestRow(i, "d", "t", i, 0, false, i % 2 == 0 ? null : "err-" + i, 0, 0))
            .ToArray();
        string path = _temp.File("errors.arrow");

        TestRows.Write(path, rows, batchRows: 7);

        Assert.Equal(rows, RequestRowReader.ReadAll(path));
        using var reader = ArrowFileReader.Open(path);
        Assert.Equal([4, 3, 3], reader.ReadRecordBatches().Select(b => b.Column(RequestRowSchema.Error).NullCount));
    }

    [Fact]
    public void Append_NoNullErrors_ValidityBufferOmitted()
    {
        string allValid = _temp.File("all-valid.arrow");
        TestRows.Write(allValid, [new RequestRow(1, "d", "t", 2, 200, true, "y", 3, 4)], 10);

        using var reader = ArrowFileReader.Open(allValid);
        var error = reader.ReadRecordBatch(0).Column(RequestRowSchema.Error);

        Assert.Equal(0, error.NullCount);
        Assert.False(error.IsNull(0));
        Assert.Equal("y", error.GetString(0));
    }

    [Fact]
    public void Append_StringColumnReachesBatchLimit_BatchEndsEarlyAndRowsSurvive()
    {
        var rows = Enumerable.Range(0, 30)
            .Select(i => new RequestRow(i, "d", "t", i, 0, false, new string((char)('a' + (i % 26)), 100), 0, 0))
            .ToArray();
        string path = _temp.File("long-errors.arrow");

        using (var writer = new RequestRowWriter(File.Create(path), batchRows: 1000, leaveOpen: false, maxStringBytesPerBatch: 1000))
        {
            foreach (var row in rows)
            {
                writer.Append(row);
            }
        }

        Assert.Equal(rows, RequestRowReader.ReadAll(path));
        using var reader = ArrowFileReader.Open(path);
        // 100 chars may need up to 300 bytes: a batch closes once 8 values (800 bytes) are in.
        Assert.Equal([8, 8, 8, 6], reader.ReadRecordBatches().Select(b => b.Length));
    }

    [Fact]
    public void Append_StringLongerThanBatchLimit_ThrowsAndFileStaysValid()
    {
        string path = _temp.File("too-long.arrow");
        using (var writer = new RequestRowWriter(File.Create(path), batchRows: 10, leaveOpen: false, maxStringBytesPerBatch: 100))
        {
            writer.Append(new RequestRow(1, "d", "t", 1, 0, true, null, 0, 0));

            Assert.Throws<ArgumentException>(() => writer.Append(new RequestRow(2, "d", "t", 1, 0, true, new string('x', 101), 0, 0)));

            Assert.Equal(1, writer.RowCount);
        }

        Assert.Equal([new RequestRow(1, "d", "t", 1, 0, true, null, 0, 0)], RequestRowReader.ReadAll(path));
    }

    [Fact]
    public void Dispose_WithoutComplete_WritesPartialBatchAndFooter()
    {
        var rows = TestRows.Mixed(15);
        string path = _temp.File("disposed.arrow");

        using (var writer = new RequestRowWriter(File.Create(path), batchRows: 10))
        {
            foreach (var row in rows)
            {
                writer.Append(row);
            }

            Assert.Equal(15, writer.RowCount);
            Assert.Equal(1, writer.RecordBatchCount);
        }

        Assert.Equal(rows, RequestRowReader.ReadAll(path));
    }

    [Fact]
    public void Append_AfterComplete_Throws()
    {
        using var writer = new RequestRowWriter(new MemoryStream());
        writer.Complete();

        Assert.Throws<InvalidOperationException>(() => writer.Append(new RequestRow(1, "d", "t", 1, 0, true, null, 0, 0)));
    }

    [Fact]
    public void Append_NullDriverId_ThrowsWithoutChangingRowCount()
    {
        using var writer = new RequestRowWriter(new MemoryStream());

        Assert.Throws<ArgumentNullException>(() => writer.Append(new RequestRow(1, null!, "t", 1, 0, true, null, 0, 0)));
        Assert.Equal(0, writer.RowCount);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(RequestRowWriter.MaxBatchRows + 1)]
    public void Constructor_BatchRowsOutOfRange_Throws(int batchRows) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RequestRowWriter(new MemoryStream(), batchRows));

    [Fact]
    public void Append_TwoMillionRows_BuffersStayAtOneBatch()
    {
        const int batchRows = 65_536;
        var output = new DiscardingStream();
        string[] drivers = ["driver-a", "driver-b"];
        string[] targets = ["http://127.0.0.1:8080/a", "http://127.0.0.1:8080/b", "127.0.0.1:9000"];
        string?[] errors = [null, null, null, "timeout", "connect"];
        using var writer = new RequestRowWriter(output, batchRows, leaveOpen: true);
        long capacityAfterWarmUp = 0;

        for (int i = 0; i < 2_000_000; i++)
        {
            writer.Append(new RequestRow(i, drivers[i & 1], targets[i % 3], i, 200, i % 5 < 3, errors[i % 5], 100, 1000));
            if (i == (3 * batchRows) - 1)
            {
                capacityAfterWarmUp = writer.BufferCapacityBytes;
            }
        }

        long capacityAtEnd = writer.BufferCapacityBytes;
        writer.Complete();

        // Fixed columns: 5 int64s + 1 int32 per row, bits for success; strings here need < 32 bytes a row per column.
        long oneBatchBound = (batchRows * (44L + (3 * 4) + (3 * 32))) + (1 << 20);
        Assert.Equal(capacityAfterWarmUp, capacityAtEnd);
        Assert.InRange(capacityAtEnd, 1, oneBatchBound);
        Assert.Equal(2_000_000, writer.RowCount);
        Assert.Equal(31, writer.RecordBatchCount);
        Assert.True(output.Written > 2_000_000 * 40L, $"only {output.Written} bytes were written");
    }

    [Fact]
    public void Append_AfterWarmUp_AllocatesNothingPerRow()
    {
        const int batchRows = 4096;
        string[] drivers = ["driver-a", "driver-b"];
        string[] targets = ["http://127.0.0.1:8080/a", "127.0.0.1:9000", "ターゲット/ü"];
        string?[] errors = [null, "timeout", null, "接続エラー"];
        using var writer = new RequestRowWriter(new DiscardingStream(), batchRows);
        for (int i = 0; i < 2 * batchRows; i++)
        {
            writer.Append(new RequestRow(i, drivers[i & 1], targets[i % 3], i, 200, true, errors[i & 3], 1, 2));
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100 * batchRows; i++)
        {
            writer.Append(new RequestRow(i, drivers[i & 1], targets[i % 3], i, 200, true, errors[i & 3], 1, 2));
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // 409,600 rows in 100 batches: only per-batch bookkeeping (footer entries, a closure) may allocate.
        Assert.InRange(allocated, 0, 100 * 256);
    }
}
