namespace Kukai.Toml.Tests.Corpus;

public sealed class InvalidCorpusTests
{
    [Theory]
    [MemberData(nameof(InvalidDocuments.Cases), MemberType = typeof(InvalidDocuments))]
    public void Parse_InvalidDocument_ThrowsAtOffendingCharacter(string name, string toml, int line, int column, string reason)
    {
        TomlException ex = Assert.Throws<TomlException>(() => TomlReader.Parse(toml, $"{name}.toml"));

        Assert.Equal((line, column), (ex.Line, ex.Column));
        Assert.Contains(reason, ex.Reason, StringComparison.Ordinal);
        Assert.Equal($"{name}.toml:{line}:{column}: {ex.Reason}", ex.Message);
    }

    [Fact]
    public void Cases_Always_AreAtLeast120DistinctDocumentsWithDistinctNames()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var documents = new HashSet<string>(StringComparer.Ordinal);
        foreach (object[] row in InvalidDocuments.Cases)
        {
            Assert.True(names.Add((string)row[0]), $"duplicate case name {row[0]}");
            Assert.True(documents.Add((string)row[1]), $"duplicate document in case {row[0]}");
        }

        Assert.True(names.Count >= 120, $"only {names.Count} invalid cases");
    }
}
