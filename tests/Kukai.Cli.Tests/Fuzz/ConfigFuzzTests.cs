using System.Text;
using System.Text.RegularExpressions;
using Kukai.Cli.Config;
using Kukai.Engine.Plans;
using Kukai.TestSupport;
using Kukai.TestSupport.Fuzz;
using Kukai.Toml;
using Xunit.Abstractions;

namespace Kukai.Cli.Tests.Fuzz;

/// <summary>
/// A bounded fuzz run (fixed seed, time budget, a bound on each input) over config files: random mutations of valid
/// TOML configs (the seed's <c>kukai_config.toml</c> among them) through the TOML reader and <see cref="ConfigLoader"/>.
/// Every input either binds to a valid plan or is rejected with <see cref="TomlException"/> /
/// <see cref="UsageException"/> whose lines each name a location (<c>file:line:col</c>) and are one line each; nothing
/// else is thrown and nothing hangs. <c>KUKAI_FUZZ_SEED</c> and <c>KUKAI_FUZZ_SECONDS</c> change the run.
/// </summary>
public sealed partial class ConfigFuzzTests(ITestOutputHelper output)
{
    private const string FileName = "fuzz.toml";
    private static readonly TimeSpan PerCase = TimeSpan.FromSeconds(5);

    /// <summary>Valid configs to mutate: the seed's, and ones that use every plan setting and most of TOML.</summary>
    public static IReadOnlyList<string> Seeds { get; } =
    [
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Seeds", "kukai_config.toml")),
        """"
        # tsunami over HTTP with every HTTP setting
        mode = "standalone"

        [load]
        type = "tsunami"
        delay_ms = 0.5
        duration_seconds = 2.5
        requests = 1_000
        timeout_ms = 2_000
        concurrency = 100
        connections = 8
        method = 'POST'
        payload = """
        {"hello": "wörld"}
        """
        http_version = "1.1"
        insecure = false
        record_requests = 0.25
        thresholds = ["p99_ms < 250", "error_rate < 0.01", "p99.9_ms <= 500", "rps > 10"]
        headers = { "Content-Type" = "application/json", X-Trace = "abc" }
        targets = [
          { url = "http://127.0.0.1:8080/ping", weight = 3 },
          { url = "https://localhost:8443/a?b=c", weight = 1.5 },
        ]
        """",
        """
        [load]
        rps = 100
        concurrency = 4
        record_requests = false
        drivers = 2
        stages = [{ duration_seconds = 1, rps = 10 }, { duration_seconds = 2, rps = 0 }]

        [[load.targets]]
        url = "http://[::1]:9000/x"

        [load.headers]
        Authorization = "Bearer t"
        """,
        """
        [load]
        type = "avalanche"
        concurrency = 2
        stages = [ { duration_seconds = 1e0, concurrency = 1 }, { duration_seconds = 0.5, concurrency = 3 } ]
        payload = 'ping\n'
        keep_alive = true
        response_delimiter = "\n"
        targets = [{ addr = "127.0.0.1", port = 0x2382, weight = 0.5 }]
        """,
        """
        mode = "commander"

        [commander]
        edges = ["10.0.0.1", "10.0.0.2:5000"]
        listen = "0.0.0.0:5000"

        [kafka]
        bootstrap = "k1:9092,k2:9092"
        topic_prefix = "kukai."
        """,
        """
        mode = "edge"
        edge.commander_address = "127.0.0.1:5000"
        edge.id = "edge-1"
        kafka = { bootstrap = "127.0.0.1:9092" }
        """,
    ];

    [Fact]
    public void Bind_EverySeed_ValidConfig()
    {
        foreach (var seed in Seeds)
        {
            var config = ConfigLoader.Read(seed, FileName);

            if (config.Plan is { } plan)
            {
                Assert.Empty(LoadPlanValidator.Validate(plan));
            }
        }
    }

    [Fact]
    public void Bind_MutatedConfigs_ValidOrOneLocatedLinePerProblem()
    {
        var seed = FuzzRunner.Seed(20261121);
        var random = new Random(seed);
        var mutator = new TextMutator(random);
        int bound = 0, rejected = 0;

        var (cases, failures) = FuzzRunner.Run(
            FuzzRunner.Budget(TimeSpan.FromSeconds(8)),
            PerCase,
            () => mutator.Mutate(Seeds[random.Next(Seeds.Count)]),
            text =>
            {
                if (Check(text))
                {
                    bound++;
                }
                else
                {
                    rejected++;
                }
            });

        output.WriteLine($"config fuzz: seed {seed}, {cases} cases ({bound} bound, {rejected} rejected), {failures.Count} failures");
        Assert.True(failures.Count == 0, $"seed {seed}:\n" + string.Join("\n", failures));
        Assert.True(cases > Seeds.Count, $"only {cases} cases ran");
    }

    [Fact]
    public void Load_MutatedConfigFiles_ValidOrUsageErrorNamingTheFile()
    {
        // Bytes on disk (invalid UTF-8 too) through ConfigLoader.Load, as `kukai run --config` reads them.
        var seed = FuzzRunner.Seed(20261122);
        var random = new Random(seed);
        var mutator = new TextMutator(random);
        using var dir = new TempDirectory();
        var path = dir.File("fuzz-file.toml");

        var (cases, failures) = FuzzRunner.Run(
            FuzzRunner.Budget(TimeSpan.FromSeconds(3)),
            PerCase,
            () => mutator.Mutate(Seeds[random.Next(Seeds.Count)]),
            text =>
            {
                var bytes = Encoding.UTF8.GetBytes(text);
                for (var flips = random.Next(3); flips > 0 && bytes.Length > 0; flips--)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }

                File.WriteAllBytes(path, bytes);
                try
                {
                    var config = ConfigLoader.Load(path);
                    if (config.Plan is { } plan)
                    {
                        Assert.Empty(LoadPlanValidator.Validate(plan));
                    }
                }
                catch (UsageException ex)
                {
                    AssertLines(ex.Message, path);
                }
            });

        output.WriteLine($"config file fuzz: seed {seed}, {cases} cases, {failures.Count} failures");
        Assert.True(failures.Count == 0, $"seed {seed}:\n" + string.Join("\n", failures));
    }

    // True when the text binds (to a valid plan); false when rejected as the contract says; throws otherwise.
    private static bool Check(string text)
    {
        // The TOML reader alone: a TomlException, one line starting at file:line:col.
        try
        {
            TomlReader.Parse(text, FileName);
        }
        catch (TomlException ex)
        {
            Assert.True(ex.Message.StartsWith(FileName + ":", StringComparison.Ordinal) && Located().IsMatch(ex.Message[(FileName.Length + 1)..]), $"not located: {FuzzRunner.Show(ex.Message)}");
            Assert.True(ex.Message.IndexOfAny(['\n', '\r']) < 0, $"not one line: {FuzzRunner.Show(ex.Message)}");
        }

        // The config as the CLI reads it: a UsageException, one clean located line per problem.
        try
        {
            var config = ConfigLoader.Read(text, FileName);
            if (config.Plan is { } plan)
            {
                Assert.Empty(LoadPlanValidator.Validate(plan));
            }

            return true;
        }
        catch (UsageException ex)
        {
            AssertLines(ex.Message, FileName);
            return false;
        }
    }

    // Each line: "file:line:col: " then a message; no carriage return or other character that breaks a terminal line.
    private static void AssertLines(string message, string file)
    {
        foreach (var line in message.Split('\n'))
        {
            Assert.True(line.StartsWith(file + ":", StringComparison.Ordinal) && Located().IsMatch(line[(file.Length + 1)..]), $"not located: {FuzzRunner.Show(line)}");
            Assert.True(!line.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029'), $"not one clean line: {FuzzRunner.Show(line)}");
        }
    }

    [GeneratedRegex(@"^\d+:\d+: \S")]
    private static partial Regex Located();
}
