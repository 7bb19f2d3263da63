using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kukai.Engine.Plans;

namespace Kukai.Results;

/// <summary>JSON conventions of results files and the API: camelCase, enums as camelCase strings, nulls omitted, indented files.</summary>
public static class ResultsJson
{
    public static JsonSerializerOptions Options { get; } = Create(indented: true);

    public static JsonSerializerOptions Compact { get; } = Create(indented: false);

    /// <summary>
    /// For reading files back: a null or missing value where the type has none (a hand-edited or damaged file) is a
    /// <see cref="JsonException"/> naming its path, not an object with holes that fails later, far from the cause.
    /// </summary>
    public static JsonSerializerOptions Reading { get; } = Create(indented: true, strict: true);

    private static JsonSerializerOptions Create(bool indented, bool strict = false)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = indented,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            RespectNullableAnnotations = strict,
            RespectRequiredConstructorParameters = strict,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.Converters.Add(new LoadPlanJsonConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
