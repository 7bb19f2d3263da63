using System.Text.Json;
using Kukai.Results;

namespace Kukai.Orchestrator.Api;

/// <summary>The API's JSON conventions: those of the results files (camelCase, enums as strings, plans as plans).</summary>
internal static class ApiJson
{
    public static JsonSerializerOptions Options => ResultsJson.Compact;
}
