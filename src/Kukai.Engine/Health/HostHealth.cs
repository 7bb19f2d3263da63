using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kukai.Engine.Health;

/// <summary>
/// How busy the load generator's machine was during an interval. A saturated generator cannot keep its schedule,
/// so its latencies are suspect; results flag such seconds.
/// </summary>
/// <param name="ProcessCpuPercent">CPU used by this process, as a percentage of the whole machine (all cores = 100).</param>
/// <param name="MachineCpuPercent">CPU used by everything on the machine (all cores = 100); NaN where unknown (null in JSON).</param>
/// <param name="Saturated">True when the process or the machine was close to fully busy.</param>
public sealed record HostHealth(
    double ProcessCpuPercent,
    [property: JsonConverter(typeof(UnknownAsNullConverter))] double MachineCpuPercent,
    bool Saturated)
{
    /// <summary>Machine or process CPU at or above this percentage marks a second as saturated.</summary>
    public const double SaturationPercent = 95;
}

/// <summary>A number that may be unknown (NaN): null in JSON, not the string "NaN" a reader cannot plot or compare.</summary>
public sealed class UnknownAsNullConverter : JsonConverter<double>
{
    public override bool HandleNull => true;

    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Null => double.NaN,
            JsonTokenType.String when reader.GetString() == "NaN" => double.NaN, // as older versions wrote it
            _ => reader.GetDouble(),
        };

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
