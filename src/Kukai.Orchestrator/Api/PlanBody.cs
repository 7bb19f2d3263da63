using System.Text.Json;
using Kukai.Engine.Plans;
using Microsoft.AspNetCore.Http;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Kukai.Orchestrator.Api;

/// <summary>
/// Reads a plan from a request body (JSON, camelCase, SPEC §2): malformed JSON and every invalid field become one
/// 400 problem-details response naming all the bad fields at once.
/// </summary>
internal static class PlanBody
{
    /// <summary>Keys of TOML-only settings the API does not take.</summary>
    private static readonly string[] NotForTheApi = ["arrow_output"];

    public static async Task<(LoadPlan? Plan, IResult? Problem)> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        JsonDocument doc;
        try
        {
            doc = await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = 32 }, ct).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            return (null, HttpResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Malformed JSON",
                detail: $"the body is not valid JSON: {ex.Message}"));
        }

        using (doc)
        {
            var result = PlanReader.Read(new JsonPlanNode(doc.RootElement), PlanKeyStyle.CamelCase, excludedKeys: NotForTheApi);
            if (result.IsValid)
            {
                return (result.Plan, null);
            }

            var errors = result.Issues
                .GroupBy(i => i.Field.Length == 0 ? "$" : i.Field)
                .ToDictionary(g => g.Key, g => g.Select(i => i.Message).ToArray());
            return (null, HttpResults.ValidationProblem(
                errors,
                title: "Invalid test plan",
                detail: string.Join("; ", result.Issues.Select(i => i.ToString()))));
        }
    }
}
