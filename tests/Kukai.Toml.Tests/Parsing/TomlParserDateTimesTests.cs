namespace Kukai.Toml.Tests.Parsing;

public sealed class TomlParserDateTimesTests
{
    [Fact]
    public void Parse_OffsetDateTime_HasInstantAndOffset()
    {
        var value = (TomlOffsetDateTime)TomlReader.Parse("a = 1979-05-27T00:32:00.999999-07:00")["a"];

        Assert.Equal(new DateTimeOffset(1979, 5, 27, 0, 32, 0, TimeSpan.FromHours(-7)).AddTicks(9_999_990), value.Value);
        Assert.Equal(TimeSpan.FromHours(-7), value.Value.Offset);
    }

    [Theory]
    [InlineData("1979-05-27T07:32:00Z")]
    [InlineData("1979-05-27t07:32:00z")]
    [InlineData("1979-05-27 07:32:00Z")]
    [InlineData("1979-05-27T07:32:00+00:00")]
    [InlineData("1979-05-27T07:32:00-00:00")]
    [InlineData("1979-05-27T09:02:00+01:30")]
    public void Parse_OffsetDateTimeSpellings_AreTheSameInstant(string literal)
    {
        var value = (TomlOffsetDateTime)TomlReader.Parse($"a = {literal}")["a"];

        Assert.Equal(new DateTimeOffset(1979, 5, 27, 7, 32, 0, TimeSpan.Zero), value.Value);
    }

    [Fact]
    public void Parse_LocalDateTime_HasUnspecifiedKind()
    {
        var value = (TomlLocalDateTime)TomlReader.Parse("a = 1979-05-27T07:32:00.5")["a"];

        Assert.Equal(new DateTime(1979, 5, 27, 7, 32, 0, 500), value.Value);
        Assert.Equal(DateTimeKind.Unspecified, value.Value.Kind);
    }

    [Fact]
    public void Parse_LocalDateAndTime_HaveTheirValues()
    {
        TomlTable table = TomlReader.Parse("d = 2024-02-29\nt = 23:59:59.123");

        Assert.Equal(new DateOnly(2024, 2, 29), ((TomlLocalDate)table["d"]).Value);
        Assert.Equal(new TimeOnly(23, 59, 59, 123), ((TomlLocalTime)table["t"]).Value);
    }

    [Theory]
    [InlineData("00:00:00.1", 1_000_000L)]
    [InlineData("00:00:00.001", 10_000L)]
    [InlineData("00:00:00.1234567", 1_234_567L)]
    [InlineData("00:00:00.12345678", 1_234_567L)]
    [InlineData("00:00:00.999999999", 9_999_999L)]
    [InlineData("00:00:00.000000099", 0L)]
    public void Parse_FractionalSeconds_TruncatedTo100Nanoseconds(string literal, long ticks)
    {
        var value = (TomlLocalTime)TomlReader.Parse($"a = {literal}")["a"];

        Assert.Equal(ticks, value.Value.Ticks);
    }

    [Theory]
    [InlineData("2000-02-29")]
    [InlineData("2024-02-29")]
    [InlineData("1600-02-29")]
    public void Parse_LeapDayInLeapYear_IsAccepted(string literal)
    {
        var value = (TomlLocalDate)TomlReader.Parse($"a = {literal}")["a"];

        Assert.Equal(29, value.Value.Day);
    }

    [Theory]
    [InlineData("1900-02-29")]
    [InlineData("2100-02-29")]
    [InlineData("2023-02-29")]
    public void Parse_LeapDayInCommonYear_IsRejectedAtTheDay(string literal)
    {
        TomlException ex = Assert.Throws<TomlException>(() => TomlReader.Parse($"a = {literal}"));

        Assert.Equal((1, 13), (ex.Line, ex.Column));
        Assert.StartsWith("day 29 is out of range", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LocalDateFollowedBySpaceAndComment_IsADate()
    {
        var value = (TomlLocalDate)TomlReader.Parse("a = 1979-05-27 # not a time")["a"];

        Assert.Equal(new DateOnly(1979, 5, 27), value.Value);
    }

    [Fact]
    public void ToString_DateTimeValues_UseRfc3339()
    {
        TomlTable table = TomlReader.Parse("o = 1979-05-27T07:32:00.25+05:30\nl = 1979-05-27T07:32:00\nd = 1979-05-27\nt = 07:32:00.5");

        Assert.Equal("1979-05-27T07:32:00.25+05:30", table["o"].ToString());
        Assert.Equal("1979-05-27T07:32:00", table["l"].ToString());
        Assert.Equal("1979-05-27", table["d"].ToString());
        Assert.Equal("07:32:00.5", table["t"].ToString());
    }
}
