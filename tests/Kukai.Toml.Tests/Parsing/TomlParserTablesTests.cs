namespace Kukai.Toml.Tests.Parsing;

/// <summary>The table definition rules: what may be reopened, extended or defined later, and what may not.</summary>
public sealed class TomlParserTablesTests
{
    private static string Json(string text) => TaggedJson.ToJson(TomlReader.Parse(text)).ReplaceLineEndings("\n");

    [Fact]
    public void Parse_SuperTableAfterSubTable_IsAllowedOnce()
    {
        TomlTable root = TomlReader.Parse("[a.b]\nx = 1\n[a]\ny = 2\n");

        var a = (TomlTable)root["a"];
        Assert.Equal(["b", "y"], a.Keys);
        Assert.Equal(1L, ((TomlInteger)((TomlTable)a["b"])["x"]).Value);
    }

    [Fact]
    public void Parse_SubTableOfDottedKeyTable_IsAllowed()
    {
        TomlTable root = TomlReader.Parse("[fruit]\napple.color = 'red'\n[fruit.apple.texture]\nsmooth = true\n");

        var apple = (TomlTable)((TomlTable)root["fruit"])["apple"];
        Assert.Equal(["color", "texture"], apple.Keys);
    }

    [Fact]
    public void Parse_DottedKeysExtendingEachOtherInOneSection_AreAllowed()
    {
        TomlTable root = TomlReader.Parse("a.b.c = 1\na.b.d = 2\na.e = 3\n");

        var a = (TomlTable)root["a"];
        Assert.Equal(["b", "e"], a.Keys);
        Assert.Equal(["c", "d"], ((TomlTable)a["b"]).Keys);
    }

    [Fact]
    public void Parse_DottedKeyThroughImplicitTable_IsAllowed()
    {
        TomlTable root = TomlReader.Parse("[a.b.c]\n[a]\nb.d = 1\n");

        var b = (TomlTable)((TomlTable)root["a"])["b"];
        Assert.Equal(["c", "d"], b.Keys);
    }

    [Fact]
    public void Parse_HeaderThroughArrayOfTables_UsesTheLastElement()
    {
        TomlTable root = TomlReader.Parse("[[a]]\nn = 1\n[[a]]\nn = 2\n[a.b]\nx = 1\n[[a.c]]\n[[a.c]]\n");

        var a = (TomlArray)root["a"];
        Assert.Equal(2, a.Count);
        Assert.Equal(["n"], ((TomlTable)a[0]).Keys);
        Assert.Equal(["n", "b", "c"], ((TomlTable)a[1]).Keys);
        Assert.Equal(2, ((TomlArray)((TomlTable)a[1])["c"]).Count);
    }

    [Fact]
    public void Parse_SameSubTableInEachArrayElement_IsAllowed()
    {
        TomlTable root = TomlReader.Parse("[[a]]\n[a.b]\nx = 1\n[[a]]\n[a.b]\nx = 2\n");

        var a = (TomlArray)root["a"];
        Assert.Equal(1L, ((TomlInteger)((TomlTable)((TomlTable)a[0])["b"])["x"]).Value);
        Assert.Equal(2L, ((TomlInteger)((TomlTable)((TomlTable)a[1])["b"])["x"]).Value);
    }

    [Fact]
    public void Parse_EmptyArrayOfTablesElement_IsAnEmptyTable()
    {
        Assert.Equal("{\n  \"a\": [\n    {},\n    {}\n  ]\n}", Json("[[a]]\n[[a]]\n"));
    }

    [Fact]
    public void Parse_InlineTablesInsideArrayLiteral_AreSeparateTables()
    {
        TomlTable root = TomlReader.Parse("a = [{x = 1}, {x = 2}]");

        var a = (TomlArray)root["a"];
        Assert.All(a, table => Assert.True(((TomlTable)table).IsInline));
        Assert.Equal(2L, ((TomlInteger)((TomlTable)a[1])["x"]).Value);
    }

    [Theory]
    [InlineData("a = {b = 1}\na.c = 2", 2, 1)]
    [InlineData("a = {b = 1}\n[a]", 2, 1)]
    [InlineData("a = {b = 1}\n[a.c]", 2, 2)]
    [InlineData("a = {b.c = 1}\n[a.b.d]", 2, 2)]
    [InlineData("a = {b.c = 1}\na.b.d = 1", 2, 1)]
    [InlineData("a = {b = [1]}\n[[a.b]]", 2, 3)]
    [InlineData("[t]\na = {}\n[t.a]", 3, 1)]
    public void Parse_ExtendingAnInlineTable_IsRejected(string text, int line, int column)
    {
        TomlException ex = Assert.Throws<TomlException>(() => TomlReader.Parse(text));

        Assert.Equal((line, column), (ex.Line, ex.Column));
        Assert.Contains("inline table", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_KeyNamesInMessages_AreQuotedWhenNotBare()
    {
        TomlException ex = Assert.Throws<TomlException>(() => TomlReader.Parse("[\"a b\".'c\"d']\n[\"a b\".'c\"d']"));

        Assert.Equal("table [\"a b\".\"c\\\"d\"] defined twice (first at 1:1)", ex.Reason);
    }

    [Fact]
    public void Parse_LargeDocument_ReadsEveryValue()
    {
        // A long single line and many sections: guards against rescanning lines or tables (quadratic work).
        const int count = 100_000;
        var text = new System.Text.StringBuilder("big = [");
        for (int i = 0; i < count; i++)
        {
            text.Append(i).Append(", ");
        }

        text.Append("]\n");
        for (int i = 0; i < count / 10; i++)
        {
            text.Append("[[t]]\nk = \"").Append(i).Append("\"\n[t.sub]\nx.y = ").Append(i).Append('\n');
        }

        text.Append("last = 1 x");

        TomlException ex = Assert.Throws<TomlException>(() => TomlReader.Parse(text.ToString()));
        Assert.Equal((1 + (4 * (count / 10)) + 1, 10), (ex.Line, ex.Column));

        TomlTable root = TomlReader.Parse(text.ToString()[..^2]);
        Assert.Equal(count, ((TomlArray)root["big"]).Count);
        Assert.Equal(count - 1, ((TomlInteger)((TomlArray)root["big"])[count - 1]).Value);
        Assert.Equal(count / 10, ((TomlArray)root["t"]).Count);
    }
}
