using System.Globalization;

namespace Kukai.Bench.Ingest;

/// <summary>The tool's command line. Immutable.</summary>
internal sealed record IngestOptions
{
    public const string Usage = """
        usage: ingest-bench kafka --kafka HOST:PORT --orchestrator URL --orchestrator-pid PID [--kafka-pid PID]
                                  [--drivers N] [--seconds T] [--warmup W] [--producers P] [--samples S]
               ingest-bench inprocess [--drivers N] [--seconds T] [--warmup W] [--samples S] [--poll] [--data-dir DIR]
          --drivers    simulated drivers (default 100)
          --seconds    seconds of reports each driver sends (default 30)
          --warmup     first seconds left out of the CPU figures (default 5)
          --producers  Kafka producers the simulated drivers share (default 2)
          --samples    latencies recorded into each report's histograms (default 500: a few hundred buckets)
          --poll       in-process: read the test every second as the dashboard's event stream does
        """;

    /// <summary><c>kafka</c> or <c>inprocess</c>.</summary>
    public required string Mode { get; init; }

    public int Drivers { get; init; } = 100;

    public int Seconds { get; init; } = 30;

    public int Warmup { get; init; } = 5;

    public int Producers { get; init; } = 2;

    public int Samples { get; init; } = 500;

    public bool Poll { get; init; }

    public string? Kafka { get; init; }

    public Uri? Orchestrator { get; init; }

    public int OrchestratorPid { get; init; }

    public int KafkaPid { get; init; }

    public string DataDir { get; init; } = Path.Combine(Path.GetTempPath(), "kukai-ingest-bench");

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public static IngestOptions Parse(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("kafka" or "inprocess"))
        {
            throw new ArgumentException("the first argument is the mode: kafka or inprocess");
        }

        var o = new IngestOptions { Mode = args[0] };
        for (var i = 1; i < args.Length; i++)
        {
            var flag = args[i];
            if (flag == "--poll")
            {
                o = o with { Poll = true };
                continue;
            }

            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"{flag}: a value is missing");
            }

            var value = args[++i];
            o = flag switch
            {
                "--drivers" => o with { Drivers = Int(flag, value, 1, 100_000) },
                "--seconds" => o with { Seconds = Int(flag, value, 1, 86_400) },
                "--warmup" => o with { Warmup = Int(flag, value, 0, 3_600) },
                "--producers" => o with { Producers = Int(flag, value, 1, 64) },
                "--samples" => o with { Samples = Int(flag, value, 1, 1_000_000) },
                "--kafka" => o with { Kafka = value },
                "--orchestrator" => o with { Orchestrator = new Uri(value.TrimEnd('/') + "/") },
                "--orchestrator-pid" => o with { OrchestratorPid = Int(flag, value, 1, int.MaxValue) },
                "--kafka-pid" => o with { KafkaPid = Int(flag, value, 1, int.MaxValue) },
                "--data-dir" => o with { DataDir = value },
                _ => throw new ArgumentException($"{flag}: unknown option"),
            };
        }

        if (o.Mode == "kafka" && (o.Kafka is null || o.Orchestrator is null || o.OrchestratorPid == 0))
        {
            throw new ArgumentException("kafka mode needs --kafka, --orchestrator and --orchestrator-pid");
        }

        if (o.Warmup >= o.Seconds)
        {
            throw new ArgumentException($"--warmup {o.Warmup}: must be less than --seconds {o.Seconds}");
        }

        return o;
    }

    private static int Int(string flag, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new ArgumentException($"{flag} '{value}': must be an integer {min}..{max}");
}
