using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Kukai.Cli.Options;
using Kukai.Target;
using Spectre.Console;

namespace Kukai.Cli.Commands;

/// <summary><c>kukai target</c>: the reference target server (SPEC §8), until interrupted.</summary>
public static class TargetCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var listen = CliOptions.HostPort("--listen", "HTTP address to bind (default 127.0.0.1:8080; port 0 picks a free one)", allowPortZero: true);
        var tcpPort = CliOptions.Int("--tcp-port", "also serve a raw-TCP echo on this port (same host as --listen; 0 picks a free one)", 0, 65535, "PORT");
        var stallMs = CliOptions.Int("--stall-ms", "freeze the whole server for this many ms ...", 1, 3_600_000, "MS");
        var stallEvery = CliOptions.Int("--stall-every-ms", "... every this many ms (shows coordinated omission)", 1, 86_400_000, "MS");
        var command = new Command("target", "Run the reference target server: /ping, /metrics, optional raw-TCP echo.")
        {
            listen, tcpPort, stallMs, stallEvery,
        };
        command.SetAction(async (parse, ct) =>
        {
            var http = (parse.GetValue(listen) ?? new HostPort("127.0.0.1", 8080)).ToBindEndPoint();
            var options = new TargetOptions
            {
                HttpEndPoint = http,
                TcpEndPoint = parse.GetValue(tcpPort) is { } p ? new IPEndPoint(http.Address, p) : null,
                StallMs = parse.GetValue(stallMs) ?? 0,
                StallEveryMs = parse.GetValue(stallEvery) ?? 0,
            };
            if (options.Validate() is { Count: > 0 } errors)
            {
                throw new UsageException(string.Join('\n', errors));
            }

            using var logging = CliLogging.Create();
            await using var server = await StartAsync(options, logging).ConfigureAwait(false);
            console.WriteLine(ReadyLine(server));
            try
            {
                await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            await server.StopAsync().ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The line tests and scripts wait for: the bound addresses.</summary>
    public static string ReadyLine(TargetServer server) =>
        server.TcpEndPoint is { } tcp
            ? $"kukai target listening on {server.HttpAddress.ToString().TrimEnd('/')} tcp {tcp}"
            : $"kukai target listening on {server.HttpAddress.ToString().TrimEnd('/')}";

    private static async Task<TargetServer> StartAsync(TargetOptions options, Microsoft.Extensions.Logging.ILoggerFactory logging)
    {
        try
        {
            return await TargetServer.StartAsync(options, TimeProvider.System, logging, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            // In use (IOException from Kestrel), or not an address of this machine (SocketException).
            throw new UsageException(options.TcpEndPoint is null ? $"--listen: {ex.Message}" : $"--listen/--tcp-port: {ex.Message}");
        }
    }
}
