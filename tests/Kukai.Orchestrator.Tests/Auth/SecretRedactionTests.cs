using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kukai.Engine.Plans;

namespace Kukai.Orchestrator.Tests.Auth;

/// <summary>
/// Secrets never appear in logs or results (SPEC §6): the API token, a Kafka password passed through
/// <c>--kafka-config</c>, and credentials in a plan's headers and target urls (masked wherever a plan is shown or stored).
/// </summary>
[Collection(SecuredClusterCollection.Name)]
public sealed class SecretRedactionTests(SecuredClusterFixture cluster)
{
    [Fact]
    public void Logs_OrchestratorAndDriverAtTrace_NeverContainASecret()
    {
        var orchestrator = cluster.Output.ToList();
        var driver = cluster.Driver.Stdout.Concat(cluster.Driver.Stderr).ToList();

        // Trace is in effect (debug lines are there), and the logs cover the test that ran.
        Assert.Contains(orchestrator, l => l.Contains(" dbug: ", StringComparison.Ordinal));
        Assert.Contains(orchestrator, l => l.Contains(cluster.TestId, StringComparison.Ordinal));
        Assert.Contains(driver, l => l.Contains(cluster.TestId, StringComparison.Ordinal));
        foreach (var secret in SecuredClusterFixture.Secrets)
        {
            Assert.DoesNotContain(orchestrator, l => l.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(driver, l => l.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void ResultsFiles_EveryFile_NeverContainsASecret()
    {
        var files = Directory.GetFiles(cluster.DataDir, "*", SearchOption.AllDirectories);

        Assert.Contains(files, f => f.EndsWith(Path.Combine(cluster.TestId, "summary.json"), StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("requests.arrow", StringComparison.Ordinal));
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            foreach (var secret in SecuredClusterFixture.Secrets)
            {
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) < 0, $"{file} contains {secret}");
            }
        }
    }

    [Fact]
    public void SummaryFile_SecretHeadersAndQueryValues_MaskedOthersKept()
    {
        var summary = Path.Combine(cluster.DataDir, "results", cluster.TestId, "summary.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(summary));

        AssertMasked(doc.RootElement.GetProperty("plan"));
    }

    [Theory]
    [InlineData("api/tests/{id}")]
    [InlineData("api/tests/{id}/files/summary.json")]
    public async Task ApiView_SecretHeadersAndQueryValues_MaskedOthersKept(string path)
    {
        using var http = cluster.CreateClient(SecuredClusterFixture.SecretToken);

        var view = await http.GetFromJsonAsync<JsonElement>(path.Replace("{id}", cluster.TestId, StringComparison.Ordinal));

        AssertMasked(view.GetProperty("plan"));
    }

    [Theory]
    [InlineData("api/tests")]
    [InlineData("api/tests/{id}")]
    [InlineData("api/tests/{id}/timeseries")]
    [InlineData("api/tests/{id}/files/report.html")]
    [InlineData("api/tests/{id}/files/timeseries.csv")]
    [InlineData("api/health")]
    [InlineData("api/drivers")]
    [InlineData("report-stats")]
    public async Task ApiResponse_EveryReadRoute_NeverContainsASecret(string path)
    {
        using var http = cluster.CreateClient(SecuredClusterFixture.SecretToken);

        var body = await http.GetStringAsync(path.Replace("{id}", cluster.TestId, StringComparison.Ordinal));

        Assert.NotEmpty(body);
        foreach (var secret in SecuredClusterFixture.Secrets)
        {
            Assert.DoesNotContain(secret, body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task EventStream_FirstUpdate_NeverContainsASecret()
    {
        using var http = cluster.CreateClient(SecuredClusterFixture.SecretToken);
        using var response = await http.GetAsync("api/events", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        string? data = null;
        while (data is null && await reader.ReadLineAsync() is { } line)
        {
            data = line.StartsWith("data: ", StringComparison.Ordinal) ? line : null;
        }

        Assert.NotNull(data);
        Assert.Contains(PlanRedaction.Mask, data, StringComparison.Ordinal);
        foreach (var secret in SecuredClusterFixture.Secrets)
        {
            Assert.DoesNotContain(secret, data, StringComparison.Ordinal);
        }
    }

    private static void AssertMasked(JsonElement plan)
    {
        var headers = plan.GetProperty("headers");
        Assert.Equal(PlanRedaction.Mask, headers.GetProperty("Authorization").GetString());
        Assert.Equal(PlanRedaction.Mask, headers.GetProperty("X-Api-Key").GetString());
        Assert.Equal("visible-header", headers.GetProperty("X-Trace").GetString());
        Assert.EndsWith("/ping?api_key=***&region=eu", plan.GetProperty("targets")[0].GetProperty("url").GetString(), StringComparison.Ordinal);
    }
}
