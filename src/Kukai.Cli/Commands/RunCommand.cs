using System.CommandLine;
using Kukai.Cli.Config;
using Kukai.Cli.Options;
using Kukai.Cli.Standalone;
using Spectre.Console;

namespace Kukai.Cli.Commands;

/// <summary><c>kukai run --config FILE</c>: a standalone test on this machine (SPEC §1).</summary>
public static class RunCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var config = CliOptions.Text("--config", "TOML config file with a [load] table (see README: Running a test)", "FILE");
        config.Required = true;
        var outDir = CliOptions.Text("--out", "results folder (default ./kukai-results/<test-id>)", "DIR");
        var id = CliOptions.Id("--id", "this node's id in the results (default: local)");
        var quiet = CliOptions.Flag("--quiet", "no live progress; print only the summary");
        var command = new Command("run", "Run a load test on this machine and write its results.") { config, outDir, id, quiet };
        command.SetAction(async (parse, ct) =>
        {
            RuntimeTuning.ForLoadGeneration();
            var loaded = ConfigLoader.Load(parse.GetValue(config)!);
            return await RunAsync(console, loaded, parse.GetValue(outDir), parse.GetValue(id), parse.GetValue(quiet), ct).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Runs a config's plan standalone (also used by <c>kukai --config</c> with mode = "standalone").</summary>
    public static async Task<int> RunAsync(IAnsiConsole console, KukaiConfig config, string? outDir, string? id, bool quiet, CancellationToken ct)
    {
        var plan = config.Plan ?? throw new UsageException($"{config.Path}: [load]: a standalone run needs a [load] table with the test plan");
        if (plan.Drivers is { } drivers)
        {
            Console.Error.WriteLine($"kukai: note: load.drivers = {drivers} is for orchestrated tests; kukai run is one node and ignores it");
        }

        var live = !Console.IsOutputRedirected && console.Profile.Capabilities.Interactive;
        var options = new StandaloneOptions(outDir, id ?? "local", live, quiet);
        var result = await new StandaloneRun(console, TimeProvider.System).RunAsync(plan, options, ct).ConfigureAwait(false);
        return result.ExitCode;
    }
}
