using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kukai.Engine.Plans;

/// <summary>Serialises plans as the API's camelCase JSON (<see cref="PlanJson"/>) inside larger documents.</summary>
public sealed class LoadPlanJsonConverter : JsonConverter<LoadPlan>
{
    public override LoadPlan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var doc = JsonDocument.ParseValue(ref reader);
        var result = PlanJson.Read(doc.RootElement);
        return result.Plan ?? throw new JsonException("invalid plan: " + string.Join("; ", result.Issues));
    }

    public override void Write(Utf8JsonWriter writer, LoadPlan value, JsonSerializerOptions options) => PlanJson.Write(writer, value);
}
