using Kukai.TestSupport;

namespace Kukai.Orchestrator.Tests.Testing;

/// <summary>
/// A whole cluster for dashboard tests, as real processes on 127.0.0.1: <c>kukai kafka-dev</c>, <c>kukai target</c>,
/// <c>kukai orchestrator</c> (with an optional token) and two <c>kukai driver</c>s over Kafka.
/// </summary>
public sealed class DashboardCluster : IAsyncDisposable
{
    /// <summary>Ids of the drivers the cluster starts.</summary>
    public static readonly IReadOnlyList<string> DriverIds = ["driver-1", "driver-2"];

    private readonly ClusterProcesses _processes;

    private DashboardCluster(ClusterProcesses processes) => _processes = processes;

    /// <summary>The orchestrator's base address (the dashboard is at <c>/</c>).</summary>
    public Uri BaseUrl => _processes.Api;

    /// <summary>The target's <c>/ping</c> URL.</summary>
    public Uri TargetUrl => new(_processes.Target.PingUrl);

    /// <summary>The API token the orchestrator requires; null when open.</summary>
    public string? Token => _processes.Token;

    /// <summary>The host name drivers report (they run on this machine).</summary>
    public static string DriverHost => Environment.MachineName;

    /// <summary>Starts everything and returns once both drivers are registered and idle.</summary>
    public static async Task<DashboardCluster> StartAsync(string? token = null) =>
        new(await ClusterProcesses.StartAsync(DriverIds.Count, token));

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

    public ValueTask DisposeAsync() => _processes.DisposeAsync();
}
