namespace Kukai.Orchestrator.Tests.Testing;

/// <summary>A <see cref="DashboardFixture"/> whose orchestrator requires a token (<c>--token</c>).</summary>
public sealed class TokenDashboardFixture : DashboardFixture
{
    public const string SecretToken = "kukai-test-token-7f3a";

    protected override string? Token => SecretToken;
}
