using System.Text;
using System.Text.Json;
using Kukai.Engine.Plans;
using Kukai.Orchestrator.Api;
using Kukai.TestSupport.Fuzz;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Xunit.Abstractions;

namespace Kukai.Orchestrator.Tests.Api;

/// <summary>
/// A bounded fuzz run (fixed seed, time budget, a bound on each input) over plans sent to the API: random mutations of
/// valid JSON plans — of their structure (types, extremes, keys) and of their text — through the API's
/// <c>PlanBody</c> in process. Every body either binds to a valid plan (which also survives the trip to the drivers
/// and results files: written and read back equal) or is a 400 problem whose every error names a field in one line;
/// nothing else is thrown and nothing hangs. <c>KUKAI_FUZZ_SEED</c> and <c>KUKAI_FUZZ_SECONDS</c> change the run.
/// </summary>
public sealed class PlanFuzzTests(ITestOutputHelper output)
{
    private static readonly TimeSpan PerCase = TimeSpan.FromSeconds(5);

    /// <summary>Valid plans to mutate, between them using every setting.</summary>
    public static IReadOnlyList<string> Seeds { get; } =
    [
        """{ "type": "tsunami", "rps": 200, "durationSeconds": 10, "targets": [{ "url": "http://127.0.0.1:8080/ping" }] }""",
        """
        { "type": "tsunami", "delayMs": 0.5, "concurrency": 500, "connections": 8, "requests": 1000, "durationSeconds": 30,
          "timeoutMs": 2500, "payload": "body", "method": "POST", "headers": { "X-A": "1", "Authorization": "Bearer x" },
          "drivers": 3, "thresholds": ["p99_ms < 250", "error_rate < 0.01"], "recordRequests": 0.25, "httpVersion": "2",
          "insecure": true, "targets": [{ "url": "http://a:1/", "weight": 3 }, { "url": "https://b/x?y=z" }] }
        """,
        """
        { "type": "avalanche", "concurrency": 4, "rps": 100, "recordRequests": false,
          "stages": [{ "durationSeconds": 5, "rps": 100 }, { "durationSeconds": 5, "rps": 0 }],
          "targets": [{ "url": "http://[::1]:9000/" }] }
        """,
        """
        { "requests": 5, "payload": "ping\n", "keepAlive": false, "responseDelimiter": "\n",
          "stages": [{ "durationSeconds": 1, "concurrency": 2 }],
          "targets": [{ "addr": "127.0.0.1", "port": 9090, "weight": 0.5 }, { "addr": "localhost", "port": 9091 }] }
        """,
        """{ "requests": 3, "responseBytes": 4, "payload": "abcd", "targets": [{ "addr": "::1", "port": 1 }] }""",
    ];

    [Fact]
    public async Task ReadAsync_EverySeed_ValidPlan()
    {
        foreach (var seed in Seeds)
        {
            var (plan, problem) = await ReadAsync(seed);

            Assert.True(problem is null, seed);
            Assert.Empty(LoadPlanValidator.Validate(plan!));
        }
    }

    [Fact]
    public void ReadAsync_MutatedPlans_ValidPlanOrOneProblemNamingEveryField()
    {
        var seed = FuzzRunner.Seed(20261123);
        var random = new Random(seed);
        var structure = new JsonPlanMutator(random);
        var text = new TextMutator(random);
        int valid = 0, invalid = 0, malformed = 0;

        var (cases, failures) = FuzzRunner.Run(
            FuzzRunner.Budget(TimeSpan.FromSeconds(6)),
            PerCase,
            () =>
            {
                var plan = structure.Mutate(Seeds[random.Next(Seeds.Count)]);
                return random.Next(4) == 0 ? text.Mutate(plan) : plan;
            },
            body =>
            {
                switch (Check(body))
                {
                    case Outcome.Valid:
                        valid++;
                        break;
                    case Outcome.Invalid:
                        invalid++;
                        break;
                    default:
                        malformed++;
                        break;
                }
            });

        output.WriteLine($"plan fuzz: seed {seed}, {cases} cases ({valid} valid, {invalid} invalid plans, {malformed} malformed JSON), {failures.Count} failures");
        Assert.True(failures.Count == 0, $"seed {seed}:\n" + string.Join("\n", failures));
        Assert.True(valid > 0 && invalid > 0, "the mutations no longer reach both valid and invalid plans");
    }

    /// <summary>Reads one body as the API does and checks the outcome against the contract.</summary>
    internal static Outcome Check(string body)
    {
        var (plan, problem) = ReadAsync(body).GetAwaiter().GetResult();
        if (plan is not null)
        {
            Assert.Null(problem);
            Assert.Empty(LoadPlanValidator.Validate(plan));

            // What drivers and results files get: written and read back, the same plan.
            using var doc = JsonDocument.Parse(PlanJson.ToJson(plan));
            var again = PlanJson.Read(doc.RootElement);
            Assert.True(again.IsValid, string.Join("; ", again.Issues));
            Assert.Equal(plan, again.Plan);
            _ = PlanRedaction.Redact(plan);
            return Outcome.Valid;
        }

        var details = problem switch
        {
            ValidationProblem v => (ProblemDetails)v.ProblemDetails,
            ProblemHttpResult p => p.ProblemDetails,
            _ => throw new InvalidOperationException($"not a problem: {problem}"),
        };
        Assert.Equal(StatusCodes.Status400BadRequest, details.Status);
        Assert.False(string.IsNullOrWhiteSpace(details.Title));
        Assert.False(string.IsNullOrWhiteSpace(details.Detail));
        if (details is not HttpValidationProblemDetails validation)
        {
            Assert.Equal("Malformed JSON", details.Title);
            return Outcome.Malformed;
        }

        Assert.NotEmpty(validation.Errors);
        foreach (var (field, messages) in validation.Errors)
        {
            Assert.False(string.IsNullOrEmpty(field));
            Assert.NotEmpty(messages);
            Assert.All(messages, m => Assert.True(m.Length > 0 && m.IndexOfAny(['\n', '\r']) < 0, $"{field}: {FuzzRunner.Show(m)}"));
        }

        return Outcome.Invalid;
    }

    internal static async Task<(LoadPlan? Plan, IResult? Problem)> ReadAsync(string body)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        return await PlanBody.ReadAsync(context.Request, CancellationToken.None);
    }

    internal enum Outcome
    {
        Valid,
        Invalid,
        Malformed,
    }
}
