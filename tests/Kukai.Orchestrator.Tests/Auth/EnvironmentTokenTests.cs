using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kukai.Orchestrator.Tests.Api;
using Kukai.Orchestrator.Tests.Testing;
using Kukai.TestSupport;

namespace Kukai.Orchestrator.Tests.Auth;

/// <summary>
/// The token from <c>KUKAI_TOKEN</c> (SPEC §1, §6) on both sides, and a driver whose token the orchestrator refuses:
/// it stops at once with one line naming <c>--token</c>, never the token itself.
/// </summary>
[Collection(OrchestratorProcessCollection.Name)]
public sealed partial class EnvironmentTokenTests(EnvironmentTokenFixture orchestrator) : IClassFixture<EnvironmentTokenFixture>
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Orchestrator_TokenFromEnvironment_RequiredOnTheApi()
    {
        using var open = orchestrator.CreateClient();
        using var withToken = orchestrator.CreateClient(EnvironmentTokenFixture.EnvironmentToken);

        using var refused = await open.GetAsync("api/health");
        using var accepted = await withToken.GetAsync("api/health");

        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.DoesNotContain(orchestrator.Output, l => l.Contains(EnvironmentTokenFixture.EnvironmentToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Driver_TokenFromEnvironment_FindsKafkaThroughTheOrchestratorAndRegisters()
    {
        await using var driver = KukaiProcess.Start(
            ["driver", "--orchestrator", Address, "--id", "env-driver"],
            environment: new Dictionary<string, string> { ["KUKAI_TOKEN"] = EnvironmentTokenFixture.EnvironmentToken, ["KUKAI_LOG_LEVEL"] = "Trace" });

        await driver.WaitForLineAsync(DriverReady(), OrchestratorFixture.ReadyTimeout);

        using var http = orchestrator.CreateClient(EnvironmentTokenFixture.EnvironmentToken);
        await Eventually.TrueAsync(
            async () => (await http.GetFromJsonAsync<JsonElement>("api/drivers")).EnumerateArray().Any(d => d.GetProperty("id").GetString() == "env-driver"),
            "env-driver to register",
            OrchestratorFixture.ReadyTimeout);
        Assert.DoesNotContain(driver.Stdout.Concat(driver.Stderr), l => l.Contains(EnvironmentTokenFixture.EnvironmentToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Driver_WrongToken_ExitsTwoAtOnceNamingTheFlagNotTheToken()
    {
        const string wrong = "kukai-env-token-d81f03";

        var driver = await KukaiProcess.RunAsync(ExitTimeout, ["driver", "--orchestrator", Address, "--token", wrong]);

        Assert.True(driver.ExitCode == 2, driver.Transcript());
        var line = Assert.Single(driver.Stderr);
        Assert.Equal($"kukai: --token: the orchestrator at http://{Address}/ refused the token (401 Unauthorized)", line);
        Assert.DoesNotContain(driver.Stdout, l => l.Contains(wrong, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Driver_NoToken_ExitsTwoAskingForOne()
    {
        var driver = await KukaiProcess.RunAsync(ExitTimeout, ["driver", "--orchestrator", Address]);

        Assert.True(driver.ExitCode == 2, driver.Transcript());
        Assert.Equal(
            $"kukai: --token: the orchestrator at http://{Address}/ requires an API token: give --token or set KUKAI_TOKEN",
            Assert.Single(driver.Stderr));
    }

    private string Address => $"{orchestrator.BaseUrl.Host}:{orchestrator.BaseUrl.Port}";

    [GeneratedRegex(@"^kukai driver env-driver ready")]
    private static partial Regex DriverReady();
}
