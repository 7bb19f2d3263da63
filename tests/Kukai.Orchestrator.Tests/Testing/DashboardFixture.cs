namespace Kukai.Orchestrator.Tests.Testing;

/// <summary>A cluster and a headless Chromium shared by the tests of one class (xunit class fixture).</summary>
public class DashboardFixture : IAsyncLifetime
{
    private DashboardCluster? _cluster;
    private HeadlessChromium? _chromium;

    public DashboardCluster Cluster => _cluster ?? throw new InvalidOperationException("not started");

    public HeadlessChromium Chromium => _chromium ?? throw new InvalidOperationException("not started");

    /// <summary>The API token of the cluster; null (the default) for an open one.</summary>
    protected virtual string? Token => null;

    public async Task InitializeAsync()
    {
        _cluster = await DashboardCluster.StartAsync(Token);
        _chromium = await HeadlessChromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (_chromium is not null)
        {
            await _chromium.DisposeAsync();
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
