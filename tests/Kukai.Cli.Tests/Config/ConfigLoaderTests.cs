using Kukai.Cli.Config;
using Kukai.TestSupport;
using Kukai.Engine.Plans;

namespace Kukai.Cli.Tests.Config;

public sealed class ConfigLoaderTests
{
    [Fact]
    public void Load_SeedConfig_BindsEverySection()
    {
        var config = ConfigLoader.Load(Path.Combine(AppContext.BaseDirectory, "Seeds", "kukai_config.toml"));

        Assert.Equal("standalone", config.Mode);
        Assert.Equal(["127.0.0.1:50051"], config.CommanderEdges);
        Assert.Equal("127.0.0.1:50051", config.EdgeCommanderAddress);
        var plan = config.Plan!;
        Assert.Equal(TestType.Avalanche, plan.Type);
        Assert.Equal(50, plan.Rps);
        Assert.Equal(10, plan.DurationSeconds);
        Assert.Equal(2, plan.Concurrency);
        Assert.Equal("GET / HTTP/1.1\r\nHost: example\r\n\r\n", plan.Payload);
        Assert.Equal("kukai_metrics.arrow", plan.ArrowOutput);
        Assert.Equal(2, plan.Targets.Length);
        Assert.Equal(new TargetPlan { Addr = "127.0.0.1", Port = 9090, Weight = 2.0 }, plan.Targets[1]);
    }

    [Theory]
    [InlineData("[load]\nrsp = 5\nrequests = 1\ntargets = [{ url = \"http://127.0.0.1:1/\" }]", "t.toml:2:1: load.rsp: unknown key (did you mean 'rps'?)")]
    [InlineData("mdoe = \"edge\"", "t.toml:1:1: mdoe: unknown key (did you mean 'mode'?)")]
    [InlineData("mode = \"boss\"", "t.toml:1:8: mode: \"boss\" must be \"standalone\", \"commander\" or \"edge\"")]
    [InlineData("[load]\nrps = -5\nrequests = 1\ntargets = [{ url = \"http://127.0.0.1:1/\" }]", "t.toml:2:7: load.rps: -5 must be > 0 and ≤ 10000000")]
    [InlineData("[load]\nrps = \"fast\"\nrequests = 1\ntargets = [{ url = \"http://127.0.0.1:1/\" }]", "t.toml:2:7: load.rps: \"fast\" must be a number")]
    [InlineData("[load]\nrequests = 1\ntargets = [{ url = \"ftp://x/\" }]", "t.toml:3:20: load.targets[0].url: \"ftp://x/\" must be an absolute http:// or https:// url with a host")]
    [InlineData("[load]\nrequests = 1\ntargets = [{ addr = \"127.0.0.1\", port = 70000 }]\npayload = \"x\"", "t.toml:3:41: load.targets[0].port: 70000 must be a TCP port between 1 and 65535")]
    [InlineData("[load]\ntargets = [{ url = \"http://127.0.0.1:1/\" }]", "t.toml:1:1: load.requests: is required, or duration_seconds (or stages): a test must end by itself")]
    [InlineData("[load]\ntype = \"tsunami\"\nrequests = 5\ntargets = [{ url = \"http://127.0.0.1:1/\" }]", "t.toml:1:1: load.delay_ms: is required for a tsunami test (or rps, or stages with rps)")]
    [InlineData("[load]\nrequests = 1\narrow_output = \"/tmp\"\ntargets = [{ url = \"http://127.0.0.1:1/\" }]", "t.toml:3:16: load.arrow_output: \"/tmp\" is a folder: name a file")]
    [InlineData("[load]\nrequests = 1\narrow_output = \"\"\ntargets = [{ url = \"http://127.0.0.1:1/\" }]", "t.toml:3:16: load.arrow_output: \"\" must name a file")]
    [InlineData("[load]\nrequests = 1\narrow_output = \"/nonexistent-kukai/x.arrow\"\ntargets = [{ url = \"http://127.0.0.1:1/\" }]", "t.toml:3:16: load.arrow_output: \"/nonexistent-kukai/x.arrow\" cannot be written: its folder /nonexistent-kukai does not exist")]
    [InlineData("[load]\ntype = \"tsunami\"\ndelay_ms = 1e-9\nrequests = 1\ntargets = [{ url = \"http://127.0.0.1:1/\" }]", "t.toml:3:12: load.delay_ms: 1E-09 must be a number of milliseconds ≥ 0.0001 (10000000 requests/s) and ≤ 3600000 (fractions allowed)")]
    [InlineData("[load]\nrequests = 1.0\ntargets = [{ url = \"http://127.0.0.1:1/\" }]", "t.toml:2:12: load.requests: 1.0 must be an integer")]
    [InlineData("[load\nrps = 1", "t.toml:1:6: ")]
    [InlineData("[kafka]\nbootstrap = 9092", "t.toml:2:13: kafka.bootstrap: 9092 must be a string")]
    [InlineData("[edge]\nid = \"../x\"", "t.toml:2:6: edge.id: \"../x\" must be 1 to 64 letters, digits, '.', '_' or '-', not starting with '.' or '-'")]
    public void Bind_BadDocument_OneLineNamingFileLineColumnFieldAndRule(string toml, string expected)
    {
        var error = Assert.Throws<UsageException>(() => Load(toml));

        Assert.StartsWith(expected, error.Message.Split('\n')[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_BadAddressesInEverySection_EachNamedWithItsPositionAtOnce()
    {
        var error = Assert.Throws<UsageException>(() => Load("""
            mode = "edge"
            [commander]
            edges = ["127.0.0.1:50051", "bad host!!", "", "127.0.0.1:99999"]
            listen = "nohost"
            [edge]
            commander_address = "nohost"
            [kafka]
            bootstrap = "also bad"
            topic_prefix = "!!bad##"
            """));

        var lines = error.Message.Split('\n');
        Assert.Equal(7, lines.Length);
        Assert.StartsWith("t.toml:3:9: commander.edges: an array must list driver hosts or ids (HOST or HOST:PORT): 'bad host!!' is not one", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.EndsWith("'' is not one", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith("'127.0.0.1:99999' is not one", StringComparison.Ordinal));
        Assert.StartsWith("t.toml:4:10: commander.listen: \"nohost\" must be HOST:PORT", lines[3], StringComparison.Ordinal);
        Assert.StartsWith("t.toml:6:21: edge.commander_address: \"nohost\" must be HOST:PORT", lines[4], StringComparison.Ordinal);
        Assert.Equal("t.toml:8:13: kafka.bootstrap: \"also bad\" 'also bad' is not HOST:PORT (port 1..65535)", lines[5]);
        Assert.StartsWith("t.toml:9:16: kafka.topic_prefix: \"!!bad##\" ", lines[6], StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_EmptyKafkaBootstrap_RefusedNotTakenAsAbsent()
    {
        var error = Assert.Throws<UsageException>(() => Load("[kafka]\nbootstrap = \"\""));

        Assert.Equal("t.toml:2:13: kafka.bootstrap: \"\" bootstrap servers required (HOST:PORT[,HOST:PORT])", error.Message);
    }

    [Fact]
    public void Load_PathWithANewline_OneLineWithTheNewlineEscaped()
    {
        var error = Assert.Throws<UsageException>(() => ConfigLoader.Load("/nonexistent-kukai/a\nb.toml"));

        Assert.Equal("--config: '/nonexistent-kukai/a\\u000Ab.toml' does not exist (no such folder)", error.Message);
    }

    [Fact]
    public void Bind_SeveralProblems_ListedInTheFilesOrder()
    {
        var error = Assert.Throws<UsageException>(() => Load("""
            [load]
            requests = 1
            rps = -1
            targets = [{ url = "http://127.0.0.1:1/" }]
            timeout_ms = 0
            colour = 5
            """));

        Assert.Equal(["t.toml:3:7: load.rps", "t.toml:5:14: load.timeout_ms", "t.toml:6:1: load.colour"], error.Message.Split('\n').Select(l => string.Join(':', l.Split(':')[..4])));
    }

    [Fact]
    public void Bind_SeveralProblems_ReportsEveryOneOnItsOwnLine()
    {
        var error = Assert.Throws<UsageException>(() => Load("""
            [load]
            rps = -1
            concurrency = 0
            timeout_ms = 0
            targets = [{ url = "nope" }, { addr = "127.0.0.1" }]
            """));

        var lines = error.Message.Split('\n');
        Assert.Contains(lines, l => l.Contains("load.rps", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("load.concurrency", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("load.timeout_ms", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("load.targets[0].url", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("load.targets[1].port", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("load.requests", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.StartsWith("t.toml:", l, StringComparison.Ordinal));
    }

    [Fact]
    public void Bind_UnreadValuesAndBrokenRules_ReportedTogether()
    {
        // Values that cannot be read do not hide the rules the rest of the plan breaks (and the rules that read them
        // stay quiet: no "requests or duration_seconds is required" for the misspelt duration).
        var error = Assert.Throws<UsageException>(() => Load("""
            [load]
            type = "hurricane"
            rps = "fast"
            duratoin_seconds = 5
            concurrency = 0
            targets = [{ url = "http://127.0.0.1:1/" }, { url = "ftp://x" }]
            """));

        Assert.Equal(
            [
                "t.toml:2:8: load.type: \"hurricane\" is not a test type: use \"avalanche\" or \"tsunami\"",
                "t.toml:3:7: load.rps: \"fast\" must be a number",
                "t.toml:4:1: load.duratoin_seconds: unknown key (did you mean 'duration_seconds'?)",
                "t.toml:5:15: load.concurrency: 0 must be between 1 and 1000000",
                "t.toml:6:53: load.targets[1].url: \"ftp://x\" must be an absolute http:// or https:// url with a host",
            ],
            error.Message.Split('\n'));
    }

    [Fact]
    public void Load_MissingFile_NamesTheFlagAndPath()
    {
        var error = Assert.Throws<UsageException>(() => ConfigLoader.Load("/nonexistent/kukai.toml"));

        Assert.Equal("--config: '/nonexistent/kukai.toml' does not exist (no such folder)", error.Message);
    }

    private static KukaiConfig Load(string toml)
    {
        using var dir = new TempDirectory();
        var path = dir.Write("t.toml", toml);
        var cwd = Environment.CurrentDirectory;
        try
        {
            return ConfigLoader.Bind(Kukai.Toml.TomlReader.Parse(File.ReadAllText(path), "t.toml"), "t.toml");
        }
        catch (Kukai.Toml.TomlException ex)
        {
            throw new UsageException(ex.Message);
        }
        finally
        {
            Environment.CurrentDirectory = cwd;
        }
    }
}
