using Kukai.Results.Arrow;
using Kukai.TestSupport;

namespace Kukai.Results.Tests.Arrow;

public sealed class ArrowFileConcatenatorTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Concatenate_SeveralFiles_RowsInInputOrderAndBlocksCopied()
    {
        var a = TestRows.Mixed(25);
        var b = TestRows.Extremes();
        string[] inputs = [_temp.File("a.arrow"), _temp.File("empty.arrow"), _temp.File("b.arrow")];
        TestRows.Write(inputs[0], a, batchRows: 10);
        TestRows.Write(inputs[1], [], batchRows: 10);
        TestRows.Write(inputs[2], b, batchRows: 3);
        string merged = _temp.File("merged.arrow");

        using (var output = File.Create(merged))
        {
            ArrowFileConcatenator.Concatenate(inputs, output);
        }

        Assert.Equal([.. a, .. b], RequestRowReader.ReadAll(merged));
        using var reader = ArrowFileReader.Open(merged);
        Assert.Equal(RequestRowSchema.Schema, reader.Schema);
        Assert.Equal([10, 10, 5, 3, 1], reader.ReadRecordBatches().Select(x => x.Length));
        Assert.All(Enumerable.Range(0, reader.RecordBatchCount), i => Assert.Equal(0, reader.GetBlock(i).Offset % 8));
    }

    [Fact]
    public void Concatenate_OnlyEmptyFiles_WritesValidEmptyFile()
    {
        string[] inputs = [_temp.File("a.arrow"), _temp.File("b.arrow")];
        TestRows.Write(inputs[0], [], batchRows: 10);
        TestRows.Write(inputs[1], [], batchRows: 10);
        var output = new MemoryStream();

        ArrowFileConcatenator.Concatenate(inputs, output);

        output.Position = 0;
        using var reader = new ArrowFileReader(output);
        Assert.Equal(RequestRowSchema.Schema, reader.Schema);
        Assert.Equal(0, reader.RecordBatchCount);
    }

    [Fact]
    public void Concatenate_DifferentSchemas_ThrowsInvalidDataAndWritesNothing()
    {
        string[] inputs = [_temp.File("requests.arrow"), _temp.File("other.arrow")];
        TestRows.Write(inputs[0], TestRows.Mixed(3), batchRows: 10);
        var other = new ArrowSchema([new ArrowField("x", ArrowType.Int64, IsNullable: false)]);
        new ArrowFileWriter(File.Create(inputs[1]), other).Dispose();
        var output = new MemoryStream();

        var error = Assert.Throws<InvalidDataException>(() => ArrowFileConcatenator.Concatenate(inputs, output));

        Assert.Contains("other.arrow has schema (x: int64 not null)", error.Message);
        Assert.Equal(0, output.Length);
    }

    [Fact]
    public void Concatenate_CorruptInput_ThrowsInvalidDataAndWritesNothing()
    {
        string[] inputs = [_temp.File("a.arrow"), _temp.File("corrupt.arrow")];
        TestRows.Write(inputs[0], TestRows.Mixed(3), batchRows: 10);
        byte[] corrupt = ArrowFileReaderTests.SmallFile();
        using (var reader = new ArrowFileReader(new MemoryStream(corrupt)))
        {
            // Point the second batch's continuation marker somewhere else: its message no longer parses.
            var block = reader.GetBlock(1);
            Array.Fill(corrupt, (byte)0x7F, (int)block.Offset + 4, 4);
        }

        File.WriteAllBytes(inputs[1], corrupt);
        var output = new MemoryStream();

        Assert.Throws<InvalidDataException>(() => ArrowFileConcatenator.Concatenate(inputs, output));
        Assert.Equal(0, output.Length);
    }

    [Fact]
    public void Concatenate_NoInputs_ThrowsArgument() =>
        Assert.Throws<ArgumentException>(() => ArrowFileConcatenator.Concatenate([], new MemoryStream()));
}
