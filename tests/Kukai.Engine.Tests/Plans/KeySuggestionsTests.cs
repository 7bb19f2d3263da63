using Kukai.Engine.Plans;

namespace Kukai.Engine.Tests.Plans;

public sealed class KeySuggestionsTests
{
    [Theory]
    [InlineData("rps", "rps", 0)]
    [InlineData("rsp", "rps", 1)]
    [InlineData("abc", "", 3)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("ab", "ba", 1)]
    public void Distance_Pairs_LevenshteinWithTranspositions(string a, string b, int expected)
    {
        Assert.Equal(expected, KeySuggestions.Distance(a, b));
        Assert.Equal(expected, KeySuggestions.Distance(b, a));
    }

    [Theory]
    [InlineData("rsp", "rps")]
    [InlineData("Duration_Second", "duration_seconds")]
    [InlineData("concurency", "concurrency")]
    [InlineData("xyz123456", null)]
    public void Nearest_Candidates_ClosestWithinLimitOrNull(string unknown, string? expected)
    {
        string[] candidates = ["rps", "duration_seconds", "concurrency", "connections"];

        Assert.Equal(expected, KeySuggestions.Nearest(unknown, candidates));
    }
}
