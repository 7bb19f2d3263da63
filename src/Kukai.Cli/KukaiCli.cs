using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Kukai.Cli.Commands;
using Kukai.Engine.Plans;
using Spectre.Console;

namespace Kukai.Cli;

/// <summary>
/// The <c>kukai</c> command line: parses flags, runs the command, and turns failures into the exit codes of SPEC §1
/// with one clear line each (bad input → 2, runtime failure → 3).
/// </summary>
public static partial class KukaiCli
{
    public static async Task<int> RunAsync(string[] args)
    {
        var console = CreateConsole();
        var root = BuildRoot(console);
        if (args.Length == 0)
        {
            args = ["--help"];
        }

        var secrets = SecretMask.From(args, Environment.GetEnvironmentVariable("KUKAI_TOKEN"));
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            var command = parse.CommandResult.Command;
            var name = command == root ? "kukai" : $"kukai {command.Name}";
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync(Show(secrets, $"{name}: {Describe(error.Message, command)}")).ConfigureAwait(false);
            }

            await Console.Error.WriteLineAsync($"(see '{name} --help')").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        // The first Ctrl+C (or SIGTERM) asks the command to stop cleanly and keep its results; a second one abandons
        // what the command registered for it (Interrupts), or else ends the process at once, as does a third.
        using var interrupt = new CancellationTokenSource();
        var interrupts = 0;
        void OnInterrupt()
        {
            var count = Interlocked.Increment(ref interrupts);
            if (count == 2 && Interrupts.TryAbandon())
            {
                return;
            }

            if (count > 1)
            {
                Console.Error.WriteLine("kukai: interrupted twice: exiting now");
                Environment.Exit(ExitCodes.RuntimeFailure);
            }

            try
            {
                interrupt.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }

        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            OnInterrupt();
        };
        Console.CancelKeyPress += onCancel;
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            OnInterrupt();
        });
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }, interrupt.Token).ConfigureAwait(false);
        }
        catch (UsageException ex)
        {
            foreach (var line in ex.Message.Split('\n'))
            {
                await Console.Error.WriteLineAsync(Show(secrets, $"kukai: {line}")).ConfigureAwait(false);
            }

            return ExitCodes.BadInput;
        }
        catch (Standalone.ResultsNotWrittenException ex)
        {
            await Console.Error.WriteLineAsync(Show(secrets, $"kukai: {ex.Message}")).ConfigureAwait(false);
            return ExitCodes.RuntimeFailure;
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("kukai: interrupted").ConfigureAwait(false);
            return ExitCodes.RuntimeFailure;
        }
        catch (Exception ex)
        {
            await Console.Error.WriteLineAsync(Show(secrets, $"kukai: error: {ex.Message}")).ConfigureAwait(false);
            await Console.Error.WriteLineAsync($"kukai: ({ex.GetType().FullName}; set KUKAI_DEBUG=1 for the stack trace)").ConfigureAwait(false);
            if (Environment.GetEnvironmentVariable("KUKAI_DEBUG") == "1")
            {
                await Console.Error.WriteLineAsync(secrets.Apply(ex.ToString())).ConfigureAwait(false);
            }

            return ExitCodes.RuntimeFailure;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    // A message line as printed: secrets masked, characters that break the line escaped.
    private static string Show(SecretMask secrets, string line) => PlanText.Printable(secrets.Apply(line));

    /// <summary>The terminal; plain text without colours or wrapping when output goes to a file or pipe (or NO_COLOR is set).</summary>
    public static IAnsiConsole CreateConsole()
    {
        if (!Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null)
        {
            return AnsiConsole.Console;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(Console.Out),
        });
        if (Console.IsOutputRedirected)
        {
            // Logs and pipes: no wrapping at 80 columns, so each line stays one line.
            console.Profile.Width = 200;
        }

        return console;
    }

    public static RootCommand BuildRoot(IAnsiConsole console)
    {
        var root = new RootCommand("Kukai: distributed load testing for HTTP and raw-TCP services.");
        ConfigModeCommand.AddTo(root, console);
        root.Subcommands.Add(RunCommand.Create(console));
        root.Subcommands.Add(OrchestratorCommand.Create(console));
        root.Subcommands.Add(DriverCommand.Create(console));
        root.Subcommands.Add(KafkaDevCommand.Create());
        root.Subcommands.Add(TargetCommand.Create(console));
        root.Subcommands.Add(DemoCommand.Create(console));
        root.Subcommands.Add(ReportCommand.Create(console));
        return root;
    }

    // System.CommandLine's messages, reworded to name the flag and the rule; unknown flags get a suggestion.
    private static string Describe(string message, Command command)
    {
        var unknown = UnrecognizedToken().Match(message);
        if (unknown.Success)
        {
            var token = unknown.Groups[1].Value;
            var known = command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)).Concat(command.Subcommands.Select(c => c.Name));
            var near = KeySuggestions.Nearest(token, known);
            var what = token.StartsWith('-') ? "unknown flag" : "unexpected argument";
            return near is null ? $"{what} '{token}'" : $"{what} '{token}' (did you mean '{near}'?)";
        }

        var required = RequiredOption().Match(message);
        if (required.Success)
        {
            return $"{required.Groups[1].Value} is required";
        }

        var noValue = MissingOptionValue().Match(message);
        if (noValue.Success)
        {
            var option = command.Options.FirstOrDefault(o => o.Name == noValue.Groups[1].Value || o.Aliases.Contains(noValue.Groups[1].Value));
            return option?.HelpName is { } helpName ? $"{noValue.Groups[1].Value}: needs a value ({helpName})" : $"{noValue.Groups[1].Value}: needs a value";
        }

        if (MissingArgument().IsMatch(message) && command.Arguments.Count > 0)
        {
            return $"{string.Join(' ', command.Arguments.Select(a => a.Name))} is required";
        }

        return message;
    }

    [GeneratedRegex(@"^Unrecognized command or argument '(.*)'\.?$")]
    private static partial Regex UnrecognizedToken();

    [GeneratedRegex(@"^Option '(.*)' is required\.?$")]
    private static partial Regex RequiredOption();

    [GeneratedRegex(@"^Required argument missing for option: '(.*)'\.?$")]
    private static partial Regex MissingOptionValue();

    [GeneratedRegex(@"^Required argument missing for command: '(.*)'\.?$")]
    private static partial Regex MissingArgument();
}
