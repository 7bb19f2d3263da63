namespace Kukai.Toml.Tests.Parsing;

public sealed class TomlParserNumbersTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("+0", 0L)]
    [InlineData("-0", 0L)]
    [InlineData("+99", 99L)]
    [InlineData("-17", -17L)]
    [InlineData("1_000", 1000L)]
    [InlineData("1_2_3", 123L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    [InlineData("0xDEADbeef", 0xDEADBEEFL)]
    [InlineData("0x00_ff", 255L)]
    [InlineData("0x7fff_ffff_ffff_ffff", long.MaxValue)]
    [InlineData("0o755", 493L)]
    [InlineData("0o0", 0L)]
    [InlineData("0o777777777777777777777", long.MaxValue)]
    [InlineData("0b1101_0110", 214L)]
    [InlineData("0b0001", 1L)]
    public void Parse_Integer_HasExactValue(string literal, long expected)
    {
        var value = (TomlInteger)TomlReader.Parse($"a = {literal}")["a"];

        Assert.Equal(expected, value.Value);
    }

    [Theory]
    [InlineData("1.0", 1.0)]
    [InlineData("3.1415", 3.1415)]
    [InlineData("-0.01", -0.01)]
    [InlineData("5e+22", 5e22)]
    [InlineData("1e06", 1e6)]
    [InlineData("-2E-2", -0.02)]
    [InlineData("6.626e-34", 6.626e-34)]
    [InlineData("224_617.445_991_228", 224617.445991228)]
    [InlineData("1e1_0", 1e10)]
    [InlineData("0e0", 0.0)]
    [InlineData("1.7976931348623157e308", double.MaxValue)]
    [InlineData("5e-324", double.Epsilon)]
    [InlineData("inf", double.PositiveInfinity)]
    [InlineData("+inf", double.PositiveInfinity)]
    [InlineData("-inf", double.NegativeInfinity)]
    public void Parse_Float_HasExactValue(string literal, double expected)
    {
        var value = (TomlFloat)TomlReader.Parse($"a = {literal}")["a"];

        Assert.Equal(expected, value.Value);
    }

    [Theory]
    [InlineData("nan")]
    [InlineData("+nan")]
    [InlineData("-nan")]
    public void Parse_Nan_IsNaN(string literal)
    {
        var value = (TomlFloat)TomlReader.Parse($"a = {literal}")["a"];

        Assert.True(double.IsNaN(value.Value));
    }

    [Fact]
    public void Parse_NegativeZeroFloat_KeepsTheSign()
    {
        var value = (TomlFloat)TomlReader.Parse("a = -0.0")["a"];

        Assert.True(double.IsNegative(value.Value));
        Assert.Equal(0.0, value.Value);
    }

    [Fact]
    public void Parse_FloatBelowSmallestSubnormal_RoundsToZero()
    {
        var value = (TomlFloat)TomlReader.Parse("a = 1e-400")["a"];

        Assert.Equal(0.0, value.Value);
    }

    [Theory]
    [InlineData("a = 1 ", 1L)]
    [InlineData("a = 1#c", 1L)]
    [InlineData("a = [1,2]", 1L)]
    [InlineData("a = {b=1}", 1L)]
    public void Parse_IntegerFollowedByDelimiter_Ends(string text, long first)
    {
        TomlValue value = TomlReader.Parse(text)["a"];

        TomlValue number = value switch
        {
            TomlArray array => array[0],
            TomlTable table => table["b"],
            _ => value,
        };
        Assert.Equal(first, ((TomlInteger)number).Value);
    }

    [Fact]
    public void Parse_IntegerOutOfRange_NamesTheLiteral()
    {
        TomlException ex = Assert.Throws<TomlException>(() => TomlReader.Parse("big = 99999999999999999999"));

        Assert.Equal("integer 99999999999999999999 out of range for a 64-bit integer", ex.Reason);
        Assert.Equal((1, 7), (ex.Line, ex.Column));
    }
}
