using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Kukai.TestSupport.Fuzz;
using Xunit.Abstractions;

namespace Kukai.Orchestrator.Tests.Api;

/// <summary>
/// A smaller fuzz run through the real HTTP endpoints of an orchestrator process (no drivers): every mutated plan is
/// answered with a problem — 400 when the in-process reading rejects it, 409 (no idle drivers) when it is valid —
/// never a 5xx, never a hang, and the server keeps answering.
/// </summary>
[Collection(OrchestratorProcessCollection.Name)]
public sealed class PlanHttpFuzzTests(OrchestratorFixture orchestrator, ITestOutputHelper output) : IClassFixture<OrchestratorFixture>
{
    [Fact]
    public async Task PostPlan_MutatedPlans_ProblemMatchingTheInProcessOutcome()
    {
        var seed = FuzzRunner.Seed(20261124);
        var random = new Random(seed);
        var structure = new JsonPlanMutator(random);
        var text = new TextMutator(random);
        using var http = orchestrator.CreateClient();
        var statuses = new Dictionary<HttpStatusCode, int>();

        var (cases, failures) = FuzzRunner.Run(
            FuzzRunner.Budget(TimeSpan.FromSeconds(4)),
            TimeSpan.FromSeconds(15),
            () =>
            {
                var plan = structure.Mutate(PlanFuzzTests.Seeds[random.Next(PlanFuzzTests.Seeds.Count)]);
                return random.Next(4) == 0 ? text.Mutate(plan) : plan;
            },
            body =>
            {
                var expected = PlanFuzzTests.Check(body) == PlanFuzzTests.Outcome.Valid ? HttpStatusCode.Conflict : HttpStatusCode.BadRequest;
                using var request = new HttpRequestMessage(HttpMethod.Post, random.Next(2) == 0 ? "api/tests" : "start-test");
                var bytes = Encoding.UTF8.GetBytes(body);
                request.Content = random.Next(2) == 0 ? new ByteArrayContent(bytes) : new StreamContent(new MemoryStream(bytes));
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = http.SendAsync(request).GetAwaiter().GetResult();
                statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;
                ProblemAssert.IsProblemAsync(response, expected).GetAwaiter().GetResult();
            });

        output.WriteLine($"plan HTTP fuzz: seed {seed}, {cases} cases ({string.Join(", ", statuses.Select(s => $"{(int)s.Key}: {s.Value}"))}), {failures.Count} failures");
        Assert.True(failures.Count == 0, $"seed {seed}:\n" + string.Join("\n", failures));
        using var health = await http.GetAsync("api/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
