using Kukai.Target.Http;

namespace Kukai.Target.Tests.Http;

public sealed class RoutesTests
{
    [Theory]
    [InlineData("/ping", nameof(Route.Ping))]
    [InlineData("/PING", nameof(Route.Ping))]
    [InlineData("/", nameof(Route.Root))]
    [InlineData("", nameof(Route.Root))]
    [InlineData("/metrics", nameof(Route.Metrics))]
    [InlineData("/metrics/reset", nameof(Route.MetricsReset))]
    [InlineData("/ping/", nameof(Route.NotFound))]
    [InlineData("/pingx", nameof(Route.NotFound))]
    [InlineData("/metrics/other", nameof(Route.NotFound))]
    public void Classify_Path_ReturnsRoute(string path, string expected)
    {
        Assert.Equal(Enum.Parse<Route>(expected), Routes.Classify(path));
    }
}
