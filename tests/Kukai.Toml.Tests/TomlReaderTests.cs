using System.Text;

namespace Kukai.Toml.Tests;

public sealed class TomlReaderTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"kukai-toml-{Guid.NewGuid():N}");

    public TomlReaderTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Parse_NoFileName_ReportsInputAsFileName()
    {
        TomlException ex = Assert.Throws<TomlException>(() => TomlReader.Parse("a = 1 b = 2"));

        Assert.Equal("<input>", ex.FileName);
        Assert.Equal("<input>:1:7: expected a newline after the value of 'a', found 'b'", ex.Message);
    }

    [Fact]
    public void Parse_FileName_IsUsedInMessage()
    {
        TomlException ex = Assert.Throws<TomlException>(() => TomlReader.Parse("rps = 1\nrps = 2", "plan.toml"));

        Assert.Equal("plan.toml", ex.FileName);
        Assert.Equal(2, ex.Line);
        Assert.Equal(1, ex.Column);
        Assert.Equal("duplicate key 'rps' (first defined at 1:1)", ex.Reason);
        Assert.Equal("plan.toml:2:1: duplicate key 'rps' (first defined at 1:1)", ex.Message);
    }

    [Fact]
    public void Parse_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => TomlReader.Parse(null!));
        Assert.Throws<ArgumentNullException>(() => TomlReader.ParseFile(null!));
    }

    [Fact]
    public void Parse_UnpairedSurrogate_ThrowsAtIt()
    {
        // Not theory data: xunit's serialization of test cases would replace the lone surrogates.
        (string Text, int Line, int Column, string Reason)[] cases =
        [
            ("a = \"\uD800x\"", 1, 6, "unpaired surrogate U+D800"),
            ("a = '\uDC00'", 1, 6, "unpaired surrogate U+DC00"),
            ("#\uDC00", 1, 2, "unpaired surrogate U+DC00"),
            ("a = \"\"\"\n\uD83D\"\"\"", 2, 1, "unpaired surrogate U+D83D"),
            ("a = '''\uD83D'''", 1, 8, "unpaired surrogate U+D83D"),
            ("\uD83D = 1", 1, 1, "expected a key, found unpaired surrogate U+D83D"),
        ];

        foreach ((string text, int line, int column, string reason) in cases)
        {
            TomlException ex = Assert.Throws<TomlException>(() => TomlReader.Parse(text));

            Assert.Equal((line, column), (ex.Line, ex.Column));
            Assert.Contains(reason, ex.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ParseFile_ByteOrderMark_IsSkippedAndNotCounted()
    {
        string path = Write("bom.toml", [0xEF, 0xBB, 0xBF, .. "a = 1 x"u8]);

        TomlException ex = Assert.Throws<TomlException>(() => TomlReader.ParseFile(path));

        Assert.Equal(path, ex.FileName);
        Assert.Equal((1, 7), (ex.Line, ex.Column));
    }

    [Fact]
    public void ParseFile_ValidUtf8_ReadsNonAsciiText()
    {
        string path = Write("utf8.toml", Encoding.UTF8.GetBytes("name = \"Jos\u00E9 \U0001F680\"\n"));

        TomlTable table = TomlReader.ParseFile(path);

        Assert.Equal("Jos\u00E9 \U0001F680", ((TomlString)table["name"]).Value);
    }

    [Theory]
    [InlineData(new byte[] { 0x80 }, 0x80)] // a continuation byte on its own
    [InlineData(new byte[] { 0xC3, 0x28 }, 0xC3)] // a truncated two-byte sequence
    [InlineData(new byte[] { 0xC0, 0xAF }, 0xC0)] // an overlong encoding of '/'
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 }, 0xED)] // an encoded surrogate (U+D800)
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 }, 0xF4)] // beyond U+10FFFF
    [InlineData(new byte[] { 0xFF }, 0xFF)] // never valid in UTF-8
    [InlineData(new byte[] { 0xE2, 0x82 }, 0xE2)] // cut off by the end of the file
    public void ParseFile_InvalidUtf8InString_ThrowsAtTheBadByte(byte[] bad, int firstByte)
    {
        // Line 2 holds "s = "é😀 then the bad bytes: the column counts é and 😀 as one each.
        byte[] bytes = [.. "a = 1\ns = \""u8, .. Encoding.UTF8.GetBytes("\u00E9\U0001F600"), .. bad, .. "\"\n"u8];
        string path = Write("bad.toml", bytes);

        TomlException ex = Assert.Throws<TomlException>(() => TomlReader.ParseFile(path));

        Assert.Equal((2, 8), (ex.Line, ex.Column));
        Assert.Contains($"invalid UTF-8 byte sequence starting with byte 0x{firstByte:X2}", ex.Reason, StringComparison.Ordinal);
        Assert.StartsWith($"{path}:2:8: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseFile_MissingFile_ThrowsIOException()
    {
        Assert.Throws<FileNotFoundException>(() => TomlReader.ParseFile(Path.Combine(_directory, "missing.toml")));
    }

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
