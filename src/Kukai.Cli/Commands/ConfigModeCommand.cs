using System.CommandLine;
using Kukai.Cli.Config;
using Kukai.Cli.Options;
using Spectre.Console;

namespace Kukai.Cli.Commands;

/// <summary>
/// <c>kukai --config FILE</c>: the seed's way to start — the file's <c>mode</c> picks the role
/// (<c>standalone</c> → run, <c>commander</c> → orchestrator, <c>edge</c> → driver).
/// </summary>
public static class ConfigModeCommand
{
    public static Option<string?> AddTo(RootCommand root, IAnsiConsole console)
    {
        var config = CliOptions.Text("--config", "config file whose mode picks the role: standalone, commander or edge", "FILE");
        root.Options.Add(config);
        root.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(config) is not { } path)
            {
                throw new UsageException("give a command (run, orchestrator, driver, target, kafka-dev, demo, report) or --config FILE; see 'kukai --help'");
            }

            var loaded = ConfigLoader.Load(path);
            if (loaded.Mode is "standalone" or "edge")
            {
                RuntimeTuning.ForLoadGeneration();
            }

            return loaded.Mode switch
            {
                "standalone" => await RunCommand.RunAsync(console, loaded, null, null, quiet: false, ct).ConfigureAwait(false),
                "commander" => await OrchestratorCommand.RunFromConfigAsync(console, loaded, ct).ConfigureAwait(false),
                _ => await DriverCommand.RunFromConfigAsync(console, loaded, ct).ConfigureAwait(false),
            };
        });
        return config;
    }
}
