namespace Kukai.Orchestrator.Tests.Dashboard;

/// <summary>The browser tests run one class at a time: each starts a cluster and a browser, and the machine is small.</summary>
[CollectionDefinition(Name)]
public sealed class DashboardCollection
{
    public const string Name = "Dashboard";
}
