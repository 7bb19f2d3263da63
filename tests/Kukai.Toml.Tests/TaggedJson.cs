using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kukai.Toml.Tests;

/// <summary>
/// Converts a document to the tagged JSON form of the toml-test suite: tables become objects (in key order),
/// arrays become arrays, and every scalar becomes <c>{"type": ..., "value": ...}</c> with the value as a
/// string in one canonical spelling, so that expected trees can be compared exactly.
/// </summary>
internal static class TaggedJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string ToJson(TomlValue value) => ToNode(value).ToJsonString(Options);

    /// <summary>Re-serializes JSON text in the same layout as <see cref="ToJson"/>, keeping key order.</summary>
    public static string Normalize(string json) => JsonNode.Parse(json)!.ToJsonString(Options);

    public static JsonNode ToNode(TomlValue value)
    {
        switch (value)
        {
            case TomlTable table:
                var obj = new JsonObject();
                foreach (KeyValuePair<string, TomlValue> entry in table)
                {
                    obj.Add(entry.Key, ToNode(entry.Value));
                }

                return obj;
            case TomlArray array:
                var arr = new JsonArray();
                foreach (TomlValue item in array)
                {
                    arr.Add(ToNode(item));
                }

                return arr;
            case TomlString s:
                return Tag("string", s.Value);
            case TomlInteger i:
                return Tag("integer", i.Value.ToString(CultureInfo.InvariantCulture));
            case TomlFloat f:
                return Tag("float", FormatFloat(f.Value));
            case TomlBoolean b:
                return Tag("bool", b.Value ? "true" : "false");
            case TomlOffsetDateTime odt:
                string offset = odt.Value.Offset == TimeSpan.Zero
                    ? "Z"
                    : odt.Value.ToString("zzz", CultureInfo.InvariantCulture);
                return Tag("datetime", odt.Value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture) + offset);
            case TomlLocalDateTime ldt:
                return Tag("datetime-local", ldt.Value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture));
            case TomlLocalDate ld:
                return Tag("date-local", ld.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            case TomlLocalTime lt:
                return Tag("time-local", lt.Value.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture));
            default:
                throw new ArgumentException($"unexpected value type {value.GetType()}", nameof(value));
        }
    }

    private static string FormatFloat(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        return value.ToString("R", CultureInfo.InvariantCulture);
    }

    private static JsonObject Tag(string type, string value) => new()
    {
        ["type"] = type,
        ["value"] = value,
    };
}
