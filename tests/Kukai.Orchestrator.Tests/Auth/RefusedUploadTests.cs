using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kukai.Orchestrator.Tests.Api;
using Kukai.Orchestrator.Tests.Testing;
using Kukai.TestSupport;

namespace Kukai.Orchestrator.Tests.Auth;

/// <summary>
/// A driver that reaches Kafka directly but holds the wrong API token: it runs its share, its upload of per-request
/// rows is refused with 401, and its log says so without printing either token.
/// </summary>
[Collection(OrchestratorProcessCollection.Name)]
public sealed partial class RefusedUploadTests(TracedTokenFixture orchestrator) : IClassFixture<TracedTokenFixture>
{
    private const string WrongToken = "kukai-token-wrong-6a0b";

    [Fact]
    public async Task Upload_DriverWithWrongToken_RefusedWith401AndLoggedWithoutTheToken()
    {
        await using var target = await TargetProcess.StartAsync();
        await using var driver = KukaiProcess.Start(
            ["driver", "--kafka", orchestrator.Kafka, "--orchestrator", $"{orchestrator.BaseUrl.Host}:{orchestrator.BaseUrl.Port}", "--id", "wrong-token-driver", "--token", WrongToken],
            environment: new Dictionary<string, string> { ["KUKAI_LOG_LEVEL"] = "Trace" });
        await driver.WaitForLineAsync(DriverReady(), OrchestratorFixture.ReadyTimeout);
        using var http = orchestrator.CreateClient(TracedTokenFixture.RightToken);
        await Eventually.TrueAsync(
            async () => (await http.GetFromJsonAsync<JsonElement>("api/drivers")).EnumerateArray().Any(d => d.GetProperty("state").GetString() == "idle"),
            "the driver to be idle",
            OrchestratorFixture.ReadyTimeout);

        // Kafka needs no API token: the test runs; only the upload (HTTP) is refused.
        var id = await SecuredClusterFixture.StartTestAsync(http, "api/tests", $$"""{ "requests": 20, "targets": [{ "url": "{{target.PingUrl}}" }] }""");
        var refused = await driver.WaitForLineAsync(UploadRefused(), TimeSpan.FromSeconds(60), stderr: true);

        Assert.Contains(id, refused.Value, StringComparison.Ordinal);
        Assert.Equal(20, await target.RequestsReceivedAsync());
        var everything = driver.Stdout.Concat(driver.Stderr).Concat(orchestrator.Output).ToList();
        Assert.DoesNotContain(everything, l => l.Contains(WrongToken, StringComparison.Ordinal));
        Assert.DoesNotContain(everything, l => l.Contains(TracedTokenFixture.RightToken, StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^kukai driver wrong-token-driver ready")]
    private static partial Regex DriverReady();

    [GeneratedRegex(@"upload of per-request rows failed \(attempt 1\): HTTP 401 from http://\S+/requests\.arrow$")]
    private static partial Regex UploadRefused();
}
