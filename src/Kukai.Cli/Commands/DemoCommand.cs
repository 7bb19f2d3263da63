using System.CommandLine;
using System.Net;
using Kukai.Cli.Standalone;
using Kukai.Engine.Plans;
using Kukai.Target;
using Spectre.Console;

namespace Kukai.Cli.Commands;

/// <summary>
/// <c>kukai demo</c>: a short test against a target started in this process, then the reconciliation of what was
/// sent with what the target received.
/// </summary>
public static class DemoCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var command = new Command("demo", "Run a short demonstration test against a built-in target and print its summary.");
        command.SetAction(async (parse, ct) =>
        {
            await using var target = await TargetServer.StartAsync(
                new TargetOptions { HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 0) }, TimeProvider.System, null, ct).ConfigureAwait(false);
            var url = new Uri(target.HttpAddress, "ping").ToString();
            console.MarkupLineInterpolated($"[bold]kukai demo[/]: target at {url}");

            var tsunami = new LoadPlan
            {
                Type = TestType.Tsunami,
                Rps = 1000,
                DurationSeconds = 3,
                Targets = [new TargetPlan { Url = url }],
                Thresholds = ["p99_ms < 250", "error_rate < 0.01"],
            };
            var live = !Console.IsOutputRedirected && console.Profile.Capabilities.Interactive;
            var options = new StandaloneOptions(null, "local", live, Quiet: false);
            console.MarkupLine("[bold]1. tsunami[/]: 1000 requests/s for 3 s");
            var result = await new StandaloneRun(console, TimeProvider.System).RunAsync(tsunami, options, ct).ConfigureAwait(false);

            // Close the loop: what was sent must be what the target received, to the request.
            var sent = result.Summary.Aggregate.Sent;
            var received = target.Counters.RequestsReceived;
            if (sent == received)
            {
                console.MarkupLineInterpolated($"[green]reconciled[/]: sent {sent:N0} = target received {received:N0}");
            }
            else
            {
                console.MarkupLineInterpolated($"[red]mismatch[/]: sent {sent:N0} ≠ target received {received:N0}");
            }

            return sent == received ? result.ExitCode : ExitCodes.RuntimeFailure;
        });
        return command;
    }
}
