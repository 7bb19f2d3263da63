namespace Kukai.Toml.Tests;

public sealed class TomlTableTests
{
    private const string Document = """
        mode = "standalone"

        [load]
        rps = 50
        payload = "x"
          timeout.ms = 100

        [[load.targets]]
        port = 8080
        """;

    [Fact]
    public void Keys_Always_KeepDefinitionOrder()
    {
        TomlTable table = TomlReader.Parse("z = 1\na = 2\nm.x = 3\nb = 4\n");

        Assert.Equal(["z", "a", "m", "b"], table.Keys);
        Assert.Equal(["z", "a", "m", "b"], table.Select(pair => pair.Key));
        Assert.Equal(4, table.Count);
        Assert.Equal(TomlValueKind.Table, table.Values[2].Kind);
    }

    [Fact]
    public void GetKeyInfo_DefinedKeys_PointAtTheKey()
    {
        TomlTable root = TomlReader.Parse(Document);
        var load = (TomlTable)root["load"];

        Assert.Equal(new TomlKeyInfo("mode", 1, 1), root.GetKeyInfo("mode"));
        Assert.Equal(new TomlKeyInfo("load", 3, 2), root.GetKeyInfo("load"));
        Assert.Equal(new TomlKeyInfo("rps", 4, 1), load.GetKeyInfo("rps"));
        Assert.Equal(new TomlKeyInfo("timeout", 6, 3), load.GetKeyInfo("timeout"));
        Assert.Equal(new TomlKeyInfo("ms", 6, 11), ((TomlTable)load["timeout"]).GetKeyInfo("ms"));
        Assert.Equal(new TomlKeyInfo("targets", 8, 8), load.GetKeyInfo("targets"));
    }

    [Fact]
    public void LineAndColumn_Values_PointAtWhereTheValueStarts()
    {
        TomlTable root = TomlReader.Parse(Document);
        var load = (TomlTable)root["load"];
        var targets = (TomlArray)load["targets"];

        Assert.Equal((1, 8), (root["mode"].Line, root["mode"].Column));
        Assert.Equal((3, 1), (load.Line, load.Column));
        Assert.Equal((4, 7), (load["rps"].Line, load["rps"].Column));
        Assert.Equal((8, 1), (targets.Line, targets.Column));
        Assert.Equal((9, 8), (((TomlTable)targets[0])["port"].Line, ((TomlTable)targets[0])["port"].Column));
    }

    [Fact]
    public void LineAndColumn_ImplicitTableDefinedLater_PointAtItsHeader()
    {
        TomlTable root = TomlReader.Parse("[a.b]\n[a]\n");
        var a = (TomlTable)root["a"];

        Assert.Equal((2, 1), (a.Line, a.Column));
        Assert.False(a.IsImplicit);
        Assert.Equal(new TomlKeyInfo("a", 1, 2), root.GetKeyInfo("a"));
    }

    [Fact]
    public void TryGetValue_MissingKey_ReturnsFalse()
    {
        TomlTable table = TomlReader.Parse("a = 1");

        Assert.True(table.TryGetValue("a", out TomlValue? value));
        Assert.Equal(1L, ((TomlInteger)value).Value);
        Assert.False(table.TryGetValue("A", out _));
        Assert.False(table.ContainsKey("b"));
        Assert.False(table.TryGetKeyInfo("b", out _));
    }

    [Fact]
    public void Indexer_MissingKey_ThrowsKeyNotFound()
    {
        TomlTable table = TomlReader.Parse("a = 1");

        Assert.Throws<KeyNotFoundException>(() => table["b"]);
        Assert.Throws<KeyNotFoundException>(() => table.GetKeyInfo("b"));
    }

    [Fact]
    public void IsInlineAndIsImplicit_EachKindOfTable_AreReported()
    {
        TomlTable root = TomlReader.Parse("i = { d.e = 1 }\nd.x = 1\n[h.sub]\n");

        var inline = (TomlTable)root["i"];
        Assert.True(inline.IsInline);
        Assert.True(((TomlTable)inline["d"]).IsInline);
        Assert.False(((TomlTable)root["d"]).IsInline);
        Assert.False(((TomlTable)root["d"]).IsImplicit);
        Assert.True(((TomlTable)root["h"]).IsImplicit);
        Assert.False(((TomlTable)((TomlTable)root["h"])["sub"]).IsImplicit);
        Assert.False(root.IsInline);
    }

    [Fact]
    public void IsArrayOfTables_HeaderArraysAndLiterals_AreTold()
    {
        TomlTable root = TomlReader.Parse("lit = [{}]\n[[aot]]\n");

        Assert.False(((TomlArray)root["lit"]).IsArrayOfTables);
        Assert.True(((TomlArray)root["aot"]).IsArrayOfTables);
    }

    [Theory]
    [InlineData("a = {}", TomlValueKind.Table, "table")]
    [InlineData("a = []", TomlValueKind.Array, "array")]
    [InlineData("a = ''", TomlValueKind.String, "string")]
    [InlineData("a = 1", TomlValueKind.Integer, "integer")]
    [InlineData("a = 1.0", TomlValueKind.Float, "float")]
    [InlineData("a = true", TomlValueKind.Boolean, "boolean")]
    [InlineData("a = 2000-01-01T00:00:00Z", TomlValueKind.OffsetDateTime, "offset date-time")]
    [InlineData("a = 2000-01-01T00:00:00", TomlValueKind.LocalDateTime, "local date-time")]
    [InlineData("a = 2000-01-01", TomlValueKind.LocalDate, "local date")]
    [InlineData("a = 00:00:00", TomlValueKind.LocalTime, "local time")]
    public void KindName_EachValueType_NamesIt(string text, TomlValueKind kind, string name)
    {
        TomlValue value = TomlReader.Parse(text)["a"];

        Assert.Equal(kind, value.Kind);
        Assert.Equal(name, value.KindName);
    }
}
