namespace Kukai.Toml.Tests.Parsing;

public sealed class TomlParserStringsTests
{
    private static string Read(string text) => ((TomlString)TomlReader.Parse(text)["s"]).Value;

    [Theory]
    [InlineData(@"s = ""\b\t\n\f\r\""\\""", "\b\t\n\f\r\"\\")]
    [InlineData(@"s = ""\u00e9\u00C9""", "\u00E9\u00C9")]
    [InlineData(@"s = ""\U0001F600""", "\U0001F600")]
    [InlineData(@"s = ""\U0010FFFF""", "\U0010FFFF")]
    [InlineData(@"s = ""\u0000""", "\0")]
    [InlineData(@"s = ""\uD7FF\uE000""", "\uD7FF\uE000")]
    [InlineData(@"s = ""\\u0041""", @"\u0041")]
    public void Parse_Escapes_AreResolved(string text, string expected)
    {
        Assert.Equal(expected, Read(text));
    }

    [Theory]
    [InlineData("s = 'C:\\temp\\n'", "C:\\temp\\n")]
    [InlineData("s = '''\\u0041\\'''", "\\u0041\\")]
    public void Parse_LiteralStrings_KeepBackslashes(string text, string expected)
    {
        Assert.Equal(expected, Read(text));
    }

    [Theory]
    [InlineData("s = \"\"\"\nabc\"\"\"", "abc")]
    [InlineData("s = \"\"\"\r\nabc\"\"\"", "abc")]
    [InlineData("s = '''\nabc'''", "abc")]
    [InlineData("s = \"\"\"\n\nabc\"\"\"", "\nabc")]
    [InlineData("s = \"\"\" \nabc\"\"\"", " \nabc")]
    public void Parse_NewlineAfterOpeningDelimiter_IsTrimmedOnce(string text, string expected)
    {
        Assert.Equal(expected, Read(text));
    }

    [Theory]
    [InlineData("s = \"\"\"a\\\n   b\"\"\"", "ab")]
    [InlineData("s = \"\"\"a\\   \t\n \n\t b\"\"\"", "ab")]
    [InlineData("s = \"\"\"a\\\r\n  \r\n  b\"\"\"", "ab")]
    [InlineData("s = \"\"\"a \\\n\"\"\"", "a ")]
    [InlineData("s = \"\"\"a\\\\\nb\"\"\"", "a\\\nb")]
    public void Parse_LineEndingBackslash_TrimsWhitespaceAndNewlines(string text, string expected)
    {
        Assert.Equal(expected, Read(text));
    }

    [Theory]
    [InlineData("s = \"\"\"\"\"\"", "")]
    [InlineData("s = \"\"\"a\"\"\"\"", "a\"")]
    [InlineData("s = \"\"\"a\"\"\"\"\"", "a\"\"")]
    [InlineData("s = \"\"\"\"a\"\"\"", "\"a")]
    [InlineData("s = \"\"\"a\"\"b\"\"\"", "a\"\"b")]
    [InlineData("s = '''a''''", "a'")]
    [InlineData("s = '''a'''''", "a''")]
    [InlineData("s = '''''a'''", "''a")]
    public void Parse_QuotesNextToDelimiters_AreContent(string text, string expected)
    {
        Assert.Equal(expected, Read(text));
    }

    [Theory]
    [InlineData("s = \"\"\"a\r\nb\"\"\"", "a\nb")]
    [InlineData("s = '''a\r\nb'''", "a\nb")]
    [InlineData("s = \"\"\"a\rb\"\"\"", "a\rb")]
    [InlineData("s = '''a\rb'''", "a\rb")]
    [InlineData("s = \"a\\r\\nb\"", "a\r\nb")]
    public void Parse_CarriageReturns_CrlfReadAsLfLoneCrKept(string text, string expected)
    {
        Assert.Equal(expected, Read(text));
    }

    [Fact]
    public void Parse_TabsInAllStringKinds_AreAllowed()
    {
        TomlTable table = TomlReader.Parse("a = \"\t\"\nb = '\t'\nc = \"\"\"\t\"\"\"\nd = '''\t'''");

        Assert.All(table.Values, value => Assert.Equal("\t", ((TomlString)value).Value));
    }

    [Fact]
    public void Parse_SeedPayload_HasCrLfFromEscapes()
    {
        string payload = Read("s = \"GET / HTTP/1.1\\r\\nHost: example\\r\\n\\r\\n\"");

        Assert.Equal("GET / HTTP/1.1\r\nHost: example\r\n\r\n", payload);
    }
}
