using Kukai.TestSupport;

namespace Kukai.Results.Tests.Arrow;

/// <summary>Shares one <see cref="NodeArrowFixture"/> (one <c>npm ci</c>) across the interop tests.</summary>
[CollectionDefinition(Name)]
public sealed class NodeArrowCollection : ICollectionFixture<NodeArrowFixture>
{
    public const string Name = "apache-arrow (node)";
}
