using System.Net;
using Kukai.Cluster.Driver;
using Kukai.Cluster.Orchestration;
using Kukai.Cluster.Transport;
using Kukai.Target;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kukai.Orchestrator.Tests.Testing;

/// <summary>
/// A whole cluster for dashboard tests, on 127.0.0.1 port 0: a real <see cref="TargetServer"/>, an orchestrator
/// (runtime and HTTP server) and two driver nodes over one in-process transport. The surface is kept small
/// (addresses and an optional token) so the cluster can later be made of whole <c>kukai</c> processes over Kafka.
/// </summary>
public sealed class DashboardCluster : IAsyncDisposable
{
    /// <summary>Ids of the drivers the cluster starts.</summary>
    public static readonly IReadOnlyList<string> DriverIds = ["d0", "d1"];

    private readonly InProcessHub _hub = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(DriverNode Node, Task Run)> _drivers = [];
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "kukai-dashboard-" + Guid.NewGuid().ToString("N")[..8]);
    private TargetServer? _target;
    private OrchestratorRuntime? _runtime;
    private OrchestratorServer? _server;

    private DashboardCluster(string? token) => Token = token;

    /// <summary>The orchestrator's base address (the dashboard is at <c>/</c>).</summary>
    public Uri BaseUrl => _server!.Address;

    /// <summary>The target's <c>/ping</c> URL.</summary>
    public Uri TargetUrl => new(_target!.HttpAddress, "ping");

    /// <summary>The API token the orchestrator requires; null when open.</summary>
    public string? Token { get; }

    /// <summary>Starts everything and returns once both drivers are registered and idle.</summary>
    public static async Task<DashboardCluster> StartAsync(string? token = null)
    {
        var cluster = new DashboardCluster(token);
        try
        {
            await cluster.StartCoreAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>An HTTP client for the API, with the token when there is one.</summary>
    public HttpClient CreateApiClient()
    {
        var client = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        if (Token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", Token);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var (node, run) in _drivers)
        {
            await run;
            await node.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_runtime is not null)
        {
            await _runtime.DisposeAsync();
        }

        if (_target is not null)
        {
            await _target.DisposeAsync();
        }

        _stop.Dispose();
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    private async Task StartCoreAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var ct = timeout.Token;
        _target = await TargetServer.StartAsync(new TargetOptions { HttpEndPoint = new IPEndPoint(IPAddress.Loopback, 0) }, TimeProvider.System, null, ct);

        _runtime = new OrchestratorRuntime(
            _hub.CreateTransport(),
            new OrchestratorOptions { DataDir = Path.Combine(_dataDir, "orchestrator"), StartDelay = TimeSpan.FromMilliseconds(500) },
            TimeProvider.System,
            NullLoggerFactory.Instance);
        await _runtime.StartAsync(ct);
        _server = await OrchestratorServer.StartAsync(new OrchestratorServerOptions(new IPEndPoint(IPAddress.Loopback, 0), Token, "test"), _runtime, NullLoggerFactory.Instance, ct);
        _runtime.UploadBaseUrl = _server.Address;

        foreach (var id in DriverIds)
        {
            var options = new DriverOptions { DriverId = id, Host = "host-" + id, SpoolDirectory = Path.Combine(_dataDir, id), Token = Token };
            var node = new DriverNode(_hub.CreateTransport(), options, TimeProvider.System, NullLoggerFactory.Instance);
            _drivers.Add((node, node.RunAsync(_stop.Token)));
            await node.Ready.WaitAsync(ct);
        }

        await Eventually.TrueAsync(() => _runtime.Drivers().Count(d => d.State == "idle") == DriverIds.Count, "both drivers registered and idle", TimeSpan.FromSeconds(20));
    }
}
