using Kukai.Orchestrator.Tests.Api;

namespace Kukai.Orchestrator.Tests.Auth;

/// <summary>An orchestrator with a token (<c>--token</c>), logging at Trace.</summary>
public sealed class TracedTokenFixture : OrchestratorFixture
{
    public const string RightToken = "kukai-token-right-6a0b";

    public override string? Token => RightToken;

    protected override IDictionary<string, string> Environment => new Dictionary<string, string> { ["KUKAI_LOG_LEVEL"] = "Trace" };
}
