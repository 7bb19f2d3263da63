using System.Text.RegularExpressions;
using Kukai.TestSupport;

namespace Kukai.Cli.Tests.Commands;

/// <summary>
/// Bad input gets one clear line on stderr naming the flag, the value and the rule, and exit code 2 (SPEC §1), from
/// the real process: no log lines, no stack traces.
/// </summary>
public sealed partial class BadInputTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(new[] { "run", "--config", "/nonexistent.toml" }, "kukai: --config: '/nonexistent.toml' does not exist")]
    [InlineData(new[] { "run", "--config", "x.toml", "--otu", "y" }, "unknown flag '--otu' (did you mean '--out'?)")]
    [InlineData(new[] { "run" }, "--config is required")]
    [InlineData(new[] { "target", "--listen", "127.0.0.1:99999" }, "--listen: '127.0.0.1:99999' has a bad port")]
    [InlineData(new[] { "target", "--stall-ms", "abc" }, "--stall-ms: 'abc' must be an integer")]
    [InlineData(new[] { "target", "--stall-ms", "500" }, "--stall-every-ms")]
    [InlineData(new[] { "frobnicate" }, "unexpected argument 'frobnicate'")]

    // Unknown flags, with the nearest known one, on every command (and the aliases).
    [InlineData(new[] { "--confg", "x.toml" }, "kukai: unknown flag '--confg' (did you mean '--config'?)")]
    [InlineData(new[] { "run", "--config", "x.toml", "--quite" }, "kukai run: unknown flag '--quite' (did you mean '--quiet'?)")]
    [InlineData(new[] { "orchestrator", "--listne", "127.0.0.1:0" }, "kukai orchestrator: unknown flag '--listne' (did you mean '--listen'?)")]
    [InlineData(new[] { "commander", "--heartbeat-timout", "5" }, "kukai orchestrator: unknown flag '--heartbeat-timout' (did you mean '--heartbeat-timeout'?)")]
    [InlineData(new[] { "driver", "--kafak", "127.0.0.1:9092" }, "kukai driver: unknown flag '--kafak' (did you mean '--kafka'?)")]
    [InlineData(new[] { "edge", "--orchestrater", "127.0.0.1:5000" }, "kukai driver: unknown flag '--orchestrater' (did you mean '--orchestrator'?)")]
    [InlineData(new[] { "target", "--tcp-prot", "9000" }, "kukai target: unknown flag '--tcp-prot' (did you mean '--tcp-port'?)")]
    [InlineData(new[] { "kafka-dev", "--broker", "3" }, "kukai kafka-dev: unknown flag '--broker' (did you mean '--brokers'?)")]
    [InlineData(new[] { "demo", "--kepe" }, "kukai demo: unknown flag '--kepe' (did you mean '--keep'?)")]
    [InlineData(new[] { "report", "--ot" }, "kukai: unknown flag '--ot' (kukai report takes one argument: DIR, a results folder)")]
    [InlineData(new[] { "report", "dir", "--ot" }, "kukai report: unknown flag '--ot'")]

    // Bad values of every typed flag: the flag, the value and the rule.
    [InlineData(new[] { "orchestrator", "--listen", "nope" }, "kukai orchestrator: --listen: 'nope' must be HOST:PORT, e.g. 127.0.0.1:8080")]
    [InlineData(new[] { "orchestrator", "--listen", "127.0.0.1:-1" }, "kukai orchestrator: --listen: '127.0.0.1:-1' has a bad port: must be 0 to 65535")]
    [InlineData(new[] { "orchestrator", "--listen", "example.com:0" }, "kukai: --listen: example.com:0 must name an IP address to bind (e.g. 127.0.0.1 or 0.0.0.0)")]
    [InlineData(new[] { "orchestrator", "--listen", "203.0.113.7:0" }, "kukai: --listen: cannot bind 203.0.113.7:0: Cannot assign requested address")]
    [InlineData(new[] { "target", "--listen", "203.0.113.7:0" }, "kukai: --listen: Cannot assign requested address")]
    [InlineData(new[] { "orchestrator", "--heartbeat-timeout", "0" }, "kukai orchestrator: --heartbeat-timeout: '0' must be a number of seconds from 1 to 3600")]
    [InlineData(new[] { "orchestrator", "--heartbeat-timeout", "soon" }, "kukai orchestrator: --heartbeat-timeout: 'soon' must be a number of seconds from 1 to 3600")]
    [InlineData(new[] { "orchestrator", "--start-delay", "NaN" }, "kukai orchestrator: --start-delay: 'NaN' must be a number of seconds from 0.2 to 60")]
    [InlineData(new[] { "orchestrator", "--data-dir", "/proc/kukai" }, "kukai: --data-dir: the data folder /proc/kukai is not writable")]
    [InlineData(new[] { "orchestrator", "--token" }, "kukai orchestrator: --token: needs a value (TOKEN)")]
    [InlineData(new[] { "target", "--tcp-port", "-1" }, "kukai target: --tcp-port: '-1' must be an integer from 0 to 65535")]
    [InlineData(new[] { "target", "--tcp-port", "65536" }, "kukai target: --tcp-port: '65536' must be an integer from 0 to 65535")]
    [InlineData(new[] { "kafka-dev", "--brokers", "0" }, "kukai kafka-dev: --brokers: '0' must be an integer from 1 to 16")]
    [InlineData(new[] { "kafka-dev", "--brokers", "many" }, "kukai kafka-dev: --brokers: 'many' must be an integer from 1 to 16")]
    [InlineData(new[] { "kafka-dev", "--partitions", "1000" }, "kukai kafka-dev: --partitions: '1000' must be an integer from 1 to 256")]
    [InlineData(new[] { "driver", "--kafka", "nohost" }, "kukai: --kafka 'nohost': 'nohost' is not HOST:PORT (port 1..65535)")]
    [InlineData(new[] { "driver", "--kafka", "127.0.0.1:9092,127.0.0.1:99999" }, "kukai: --kafka '127.0.0.1:9092,127.0.0.1:99999': '127.0.0.1:99999' is not HOST:PORT (port 1..65535)")]
    [InlineData(new[] { "driver", "--kafka", "--id", "x" }, "kukai driver: --kafka: needs a value (HOSTS)")]
    [InlineData(new[] { "driver", "--orchestrator", "127.0.0.1:0" }, "kukai driver: --orchestrator: '127.0.0.1:0' has a bad port: must be 1 to 65535")]
    [InlineData(new[] { "driver", "--orchestrator", "orchestrator" }, "kukai driver: --orchestrator: 'orchestrator' must be HOST:PORT, e.g. 127.0.0.1:8080")]
    [InlineData(new[] { "driver" }, "kukai: --kafka: give the Kafka bootstrap servers, or --orchestrator HOST:PORT to ask the orchestrator for them")]
    [InlineData(new[] { "driver", "--id", "../../etc/x" }, "kukai driver: --id: '../../etc/x' must be 1 to 64 letters, digits, '.', '_' or '-', not starting with '.' or '-'")]
    [InlineData(new[] { "orchestrator", "--id", "a b" }, "kukai orchestrator: --id: 'a b' must be 1 to 64 letters")]
    [InlineData(new[] { "run", "--config", "x.toml", "--id", "results/x" }, "kukai run: --id: 'results/x' must be 1 to 64 letters")]
    [InlineData(new[] { "demo", "--seconds", "0" }, "kukai demo: --seconds: '0' must be a number of seconds from 1 to 600")]
    [InlineData(new[] { "run", "--config", "/dev/zero" }, "kukai: --config: '/dev/zero' holds more than 4 MiB: not a Kukai config")]
    [InlineData(new[] { "report", "" }, "kukai: DIR: '' must name a results folder")]
    [InlineData(new[] { "report" }, "kukai report: DIR is required")]
    [InlineData(new[] { "report", "/nonexistent-results" }, "kukai: DIR: '/nonexistent-results' does not exist")]

    // Kafka settings passed through are checked by librdkafka; secret values never shown.
    [InlineData(new[] { "driver", "--kafka", "127.0.0.1:9", "--kafka-config", "security.protocol=BOGUS" }, "kukai: --kafka-config 'security.protocol=BOGUS': Invalid value \"BOGUS\" for configuration property \"security.protocol\"")]
    [InlineData(new[] { "orchestrator", "--kafka-config", "no-equals-sign" }, "kukai: --kafka-config 'no-equals-sign': expected KEY=VALUE (e.g. security.protocol=SASL_SSL)")]
    [InlineData(new[] { "orchestrator", "--kafka-config", "acks=1" }, "kukai: --kafka-config 'acks=1': 'acks' is set by Kukai (Kukai's producer always uses acks=all)")]
    [InlineData(new[] { "driver", "--kafka", "127.0.0.1:9", "--kafka-config", "sasl.password.typo=hunter22" }, "kukai: --kafka-config 'sasl.password.typo=***': unknown librdkafka setting 'sasl.password.typo'")]
    [InlineData(new[] { "orchestrator", "--kafka-config", "sasl.jaas.config=hunter22" }, "kukai: --kafka-config 'sasl.jaas.config=***': Java JAAS configuration is not supported")]
    public async Task Kukai_BadInput_ExitCodeTwoWithOneClearLine(string[] args, string expected)
    {
        var run = await KukaiProcess.RunAsync(Timeout, args);

        AssertBadInput(run, expected);
        Assert.DoesNotContain(run.Stderr, l => l.Contains("hunter22", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_InvalidToml_ReportsFileLineAndColumn()
    {
        using var dir = new TempDirectory();
        var config = dir.Write("bad.toml", "[load]\nrps = 5\nrps = 6\n");

        var run = await KukaiProcess.RunAsync(Timeout, ["run", "--config", config]);

        Assert.True(run.ExitCode == 2, run.Transcript());
        Assert.Contains(run.Stderr, l => l.StartsWith($"kukai: {config}:3:1: duplicate key 'rps'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("folder", "is a folder, not a config file")]
    [InlineData("empty", ": [load]: a standalone run needs a [load] table with the test plan")]
    [InlineData("binary", ":1:2: invalid UTF-8 byte sequence starting with byte 0xFF")]
    [InlineData("unreadable", "cannot be read")]
    public async Task Run_ConfigNotAReadableTomlFile_ExitCodeTwoNamingIt(string kind, string expected)
    {
        using var dir = new TempDirectory();
        var path = kind switch
        {
            "folder" => dir.Path,
            "empty" => dir.Write("empty.toml", ""),
            "binary" => WriteBytes(dir.File("binary.toml"), [0x00, 0xff, 0xfe, 0x01]),

            // Fails to read even for root: the process's own memory file, read from offset 0.
            _ => "/proc/self/mem",
        };

        var run = await KukaiProcess.RunAsync(Timeout, ["run", "--config", path]);

        AssertBadInput(run, expected);
        Assert.Contains(path, Assert.Single(run.Stderr), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("file", "is a file, not a results folder")]
    [InlineData("empty folder", "has no summary.json: not a results folder")]
    [InlineData("broken summary", "summary.json: ")]
    [InlineData("summary of another shape", "summary.json: ")]
    public async Task Report_NotAResultsFolder_ExitCodeTwoNamingIt(string kind, string expected)
    {
        using var dir = new TempDirectory();
        var path = kind switch
        {
            "file" => dir.Write("notes.txt", "hello"),
            "empty folder" => dir.Path,
            "broken summary" => Path.GetDirectoryName(dir.Write("summary.json", "{ \"testId\": "))!,
            _ => Path.GetDirectoryName(dir.Write("summary.json", "[1, 2, 3]"))!,
        };

        var run = await KukaiProcess.RunAsync(Timeout, ["report", path]);

        AssertBadInput(run, expected);
    }

    private static string WriteBytes(string path, byte[] bytes)
    {
        File.WriteAllBytes(path, bytes);
        return path;
    }

    // Exit code 2, the expected text on a line of its own kind, and nothing else: every line is a "kukai…:" message or
    // the help hint (no log lines, no stack traces).
    private static void AssertBadInput(KukaiProcess run, string expected)
    {
        Assert.True(run.ExitCode == 2, run.Transcript());
        Assert.True(run.Stderr.Any(l => l.Contains(expected, StringComparison.Ordinal)), run.Transcript());
        Assert.All(run.Stderr, l => Assert.Matches(MessageLine(), l));
        Assert.DoesNotContain(run.Stderr, l => l.Contains("   at ", StringComparison.Ordinal));
        Assert.Empty(run.Stdout);
    }

    [GeneratedRegex(@"^(kukai( [a-z-]+)?: \S|\(see 'kukai( [a-z-]+)? --help'\)$)")]
    private static partial Regex MessageLine();
}
