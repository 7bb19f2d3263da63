using Kukai.Results.Arrow;

namespace Kukai.Results.Tests.Arrow;

public sealed class FlatBufferBuilderTests
{
    [Fact]
    public void Finish_TableOfEveryKind_ReadsBackThroughFlatBufferTable()
    {
        var builder = new FlatBufferBuilder(initialCapacity: 16);
        int text = builder.CreateString("héllo");
        builder.StartTable(1);
        builder.AddInt32(0, 42);
        int child = builder.EndTable();
        int tables = builder.CreateOffsetVector([child, child]);
        builder.StartVector(16, 2, 8);
        builder.PutStruct(3, 4);
        builder.PutStruct(1, 2);
        int structs = builder.EndVector();
        builder.StartTable(9);
        builder.AddByte(0, 7);
        builder.AddInt64(1, long.MinValue);
        builder.AddOffset(2, text);
        builder.AddInt16(3, -2);
        builder.AddOffset(4, tables);
        builder.AddBool(5, true);
        builder.AddOffset(6, structs);
        // Slot 7 left absent; slot 8 present so the vtable is longer than the last absent slot.
        builder.AddInt32(8, int.MaxValue);
        builder.Finish(builder.EndTable());
        byte[] buffer = builder.WrittenSpan.ToArray();

        var root = FlatBufferTable.Root(buffer, 0, "test");

        Assert.Equal(0, buffer.Length % 8);
        Assert.Equal(7, root.GetByte(0));
        Assert.Equal(long.MinValue, root.GetInt64(1));
        Assert.Equal("héllo", root.GetString(2, "text"));
        Assert.Equal(-2, root.GetInt16(3));
        Assert.True(root.GetBool(5));
        Assert.Equal(int.MaxValue, root.GetInt32(8));
        Assert.False(root.Has(7));
        Assert.Equal(99, root.GetInt32(7, 99));
        Assert.Equal(-1, root.GetInt16(12, -1));
        var vector = root.GetVector(4, 4, "tables");
        Assert.Equal(2, vector.Count);
        Assert.Equal(42, root.GetTableAt(vector, 1, "child").GetInt32(0));
        var pairs = root.GetVector(6, 16, "structs");
        Assert.Equal(0, pairs.Start % 8);
        Assert.Equal([1L, 2L, 3L, 4L], [root.ReadInt64At(pairs.Start), root.ReadInt64At(pairs.Start + 8), root.ReadInt64At(pairs.Start + 16), root.ReadInt64At(pairs.Start + 24)]);
    }

    [Fact]
    public void EndTable_EightByteField_AlignedInFinishedBuffer()
    {
        var builder = new FlatBufferBuilder();
        builder.StartTable(2);
        builder.AddByte(0, 1);
        builder.AddInt64(1, 0x0102030405060708);
        builder.Finish(builder.EndTable());
        byte[] buffer = builder.WrittenSpan.ToArray();

        int at = buffer.AsSpan().IndexOf((ReadOnlySpan<byte>)[0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01]);

        Assert.True(at > 0);
        Assert.Equal(0, at % 8);
        Assert.Equal(0x0102030405060708, FlatBufferTable.Root(buffer, 0, "test").GetInt64(1));
    }

    [Fact]
    public void AddOffset_OutsideOpenTable_Throws()
    {
        var builder = new FlatBufferBuilder();
        int text = builder.CreateString("x");

        Assert.Throws<InvalidOperationException>(() => builder.AddOffset(0, text));
        builder.StartTable(1);
        Assert.Throws<InvalidOperationException>(() => builder.AddOffset(1, text));
        Assert.Throws<InvalidOperationException>(() => builder.StartTable(1));
    }

    [Theory]
    [InlineData(new byte[] { 4, 0, 0, 0, 0x10, 0, 0, 0 })]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0x7F })]
    [InlineData(new byte[] { 4, 0, 0, 0, 0xFC, 0xFF, 0xFF, 0xFF })]
    [InlineData(new byte[] { 1, 0 })]
    public void Root_MalformedBuffer_ThrowsInvalidData(byte[] buffer) =>
        Assert.Throws<InvalidDataException>(() => FlatBufferTable.Root(buffer, 0, "test"));
}
