namespace Kukai.Toml.Tests.Corpus;

/// <summary>
/// Every <c>Corpus/valid/*.toml</c> is read with <see cref="TomlReader.ParseFile"/> and must give exactly the
/// tree in the <c>.json</c> file beside it (toml-test tagged JSON, key order included).
/// </summary>
public sealed class ValidCorpusTests
{
    private static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "Corpus", "valid");

    public static TheoryData<string> Documents()
    {
        var data = new TheoryData<string>();
        foreach (string path in System.IO.Directory.GetFiles(Directory, "*.toml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(path));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void ParseFile_ValidDocument_MatchesExpectedTree(string name)
    {
        TomlTable document = TomlReader.ParseFile(Path.Combine(Directory, $"{name}.toml"));

        string expected = TaggedJson.Normalize(File.ReadAllText(Path.Combine(Directory, $"{name}.json")));
        Assert.Equal(expected, TaggedJson.ToJson(document));
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Parse_ValidDocumentText_MatchesParseFile(string name)
    {
        string path = Path.Combine(Directory, $"{name}.toml");

        TomlTable fromText = TomlReader.Parse(File.ReadAllText(path), path);

        Assert.Equal(TaggedJson.ToJson(TomlReader.ParseFile(path)), TaggedJson.ToJson(fromText));
    }

    [Fact]
    public void Corpus_Always_HasAnExpectedTreeForEveryDocumentAndIncludesTheSeedConfig()
    {
        string[] documents = System.IO.Directory.GetFiles(Directory, "*.toml");

        Assert.True(documents.Length >= 25, $"only {documents.Length} valid documents");
        Assert.All(documents, path => Assert.True(File.Exists(Path.ChangeExtension(path, ".json")), $"{path} has no .json"));
        Assert.Contains(documents, path => Path.GetFileName(path) == "kukai_config.toml");
    }
}
