using Kukai.Orchestrator.Tests.Api;

namespace Kukai.Orchestrator.Tests.Auth;

/// <summary>An orchestrator that takes its token from <c>KUKAI_TOKEN</c> (no <c>--token</c>), logging at Trace.</summary>
public sealed class EnvironmentTokenFixture : OrchestratorFixture
{
    public const string EnvironmentToken = "kukai-env-token-d81f02";

    public override string? Token => EnvironmentToken;

    protected override IEnumerable<string> Flags => [];

    protected override IDictionary<string, string> Environment =>
        new Dictionary<string, string> { ["KUKAI_TOKEN"] = EnvironmentToken, ["KUKAI_LOG_LEVEL"] = "Trace" };
}
