using Kukai.Toml.Parsing;

namespace Kukai.Toml.Tests.Parsing;

public sealed class TomlTextTests
{
    [Theory]
    [InlineData("abc", "abc")]
    [InlineData("a-b_0", "a-b_0")]
    [InlineData("", "\"\"")]
    [InlineData("a b", "\"a b\"")]
    [InlineData("a.b", "\"a.b\"")]
    [InlineData("q\"\\", "\"q\\\"\\\\\"")]
    [InlineData("tab\there", "\"tab\\there\"")]
    [InlineData("nul\u0000", "\"nul\\u0000\"")]
    [InlineData("é", "\"é\"")]
    public void FormatSegment_Keys_AreBareOnlyWhenTomlAllowsIt(string name, string expected)
    {
        Assert.Equal(expected, TomlText.FormatSegment(name));
    }

    [Fact]
    public void FormatKey_DottedKey_JoinsSegmentsWithDots()
    {
        KeyPart[] parts = [new("a", default), new("b c", default), new("d", default)];

        Assert.Equal("a.\"b c\".d", TomlText.FormatKey(parts));
        Assert.Equal("a.\"b c\"", TomlText.FormatKey(parts, 2));
    }
}
