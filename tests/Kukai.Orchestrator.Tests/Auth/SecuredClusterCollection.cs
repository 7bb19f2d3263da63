namespace Kukai.Orchestrator.Tests.Auth;

/// <summary>The classes that read the secured cluster share one (it runs a test at start).</summary>
[CollectionDefinition(Name)]
public sealed class SecuredClusterCollection : ICollectionFixture<SecuredClusterFixture>
{
    public const string Name = "Secured cluster";
}
