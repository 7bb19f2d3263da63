using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kukai.Orchestrator.Tests.Api;

/// <summary>
/// Structure-aware mutations of a JSON plan, so that fuzzing reaches the plan reader and validator rather than stopping
/// at the JSON parser: values replaced by values of other types and extremes, keys dropped, added, misspelt, nested
/// deeper. Deterministic for a given <see cref="Random"/>. Not thread-safe.
/// </summary>
public sealed class JsonPlanMutator(Random random)
{
    private static readonly string[] Keys =
    [
        "type", "delayMs", "rps", "concurrency", "connections", "requests", "durationSeconds", "timeoutMs", "targets",
        "payload", "method", "headers", "drivers", "stages", "thresholds", "recordRequests", "keepAlive", "responseBytes",
        "responseDelimiter", "httpVersion", "insecure", "arrowOutput", "url", "addr", "port", "weight", "delay_ms", "",
        "Type", "\u0000", "a\nb", "\u202e", "é", "__proto__",
    ];

    private readonly List<string> _applied = [];

    public string LastMutations => string.Join(", ", _applied);

    /// <summary>One to four mutations of <paramref name="json"/> (an object).</summary>
    public string Mutate(string json)
    {
        _applied.Clear();
        var root = JsonNode.Parse(json)!;
        for (var count = random.Next(1, 5); count > 0; count--)
        {
            root = MutateOnce(root);
        }

        return root.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, MaxDepth = 512 });
    }

    private JsonNode MutateOnce(JsonNode root)
    {
        var containers = new List<JsonNode>();
        Collect(root, containers);
        if (containers.Count == 0)
        {
            _applied.Add("replace the scalar plan");
            return RandomValue() ?? JsonValue.Create(0)!;
        }

        var container = containers[random.Next(containers.Count)];
        switch (container, random.Next(4))
        {
            case (JsonObject obj, 0) when obj.Count > 0:
                var drop = obj.ElementAt(random.Next(obj.Count)).Key;
                _applied.Add($"drop {drop}");
                obj.Remove(drop);
                return root;
            case (JsonObject obj, 1):
                var key = Keys[random.Next(Keys.Length)];
                _applied.Add($"set {key}");
                obj[key] = RandomValue();
                return root;
            case (JsonObject obj, 2) when obj.Count > 0:
                var (old, value) = obj.ElementAt(random.Next(obj.Count));
                var typo = Typo(old);
                _applied.Add($"rename {old} to {typo}");
                obj.Remove(old);
                obj[typo] = value?.DeepClone();
                return root;
            case (JsonObject obj, _) when obj.Count > 0:
                var replace = obj.ElementAt(random.Next(obj.Count)).Key;
                _applied.Add($"replace {replace}");
                obj[replace] = RandomValue();
                return root;
            case (JsonArray array, _) when array.Count > 0 && random.Next(2) == 0:
                var at = random.Next(array.Count);
                _applied.Add($"replace item {at}");
                array[at] = RandomValue();
                return root;
            case (JsonArray array, _):
                _applied.Add("add item");
                array.Add(RandomValue());
                return root;
            default:
                _applied.Add("replace the plan");
                return random.Next(4) == 0 ? RandomValue() ?? JsonValue.Create(0)! : root;
        }
    }

    private static void Collect(JsonNode? node, List<JsonNode> containers)
    {
        switch (node)
        {
            case JsonObject obj:
                containers.Add(obj);
                foreach (var (_, value) in obj)
                {
                    Collect(value, containers);
                }

                break;
            case JsonArray array:
                containers.Add(array);
                foreach (var item in array)
                {
                    Collect(item, containers);
                }

                break;
        }
    }

    private string Typo(string key)
    {
        if (key.Length < 2)
        {
            return key + "x";
        }

        var i = random.Next(key.Length - 1);
        return random.Next(3) switch
        {
            0 => key.Remove(i, 1),
            1 => string.Concat(key.AsSpan(0, i), key[i + 1].ToString(), key[i].ToString(), key.AsSpan(i + 2)),
            _ => key.ToUpperInvariant(),
        };
    }

    private static JsonNode Nested(int depth) => JsonNode.Parse(new string('[', depth) + "1" + new string(']', depth))!;

    private JsonNode? RandomValue() => random.Next(24) switch
    {
        0 => null,
        1 => JsonValue.Create(true),
        2 => JsonValue.Create(-1),
        3 => JsonValue.Create(0),
        4 => JsonValue.Create(1e308),
        5 => JsonValue.Create(0.5),
        6 => JsonNode.Parse("99999999999999999999"),
        7 => JsonNode.Parse("-1e400"),
        8 => JsonValue.Create(""),
        9 => JsonValue.Create("tsunami"),
        10 => JsonValue.Create("http://127.0.0.1:8080/ping"),
        11 => JsonValue.Create("\u0000\r\n\u001b[2J\u2028"),
        12 => JsonValue.Create(new string('x', random.Next(1, 5000))),
        13 => new JsonArray(),
        14 => new JsonObject(),
        15 => new JsonArray(JsonValue.Create(1), JsonValue.Create("a"), null),
        16 => new JsonObject { ["url"] = "ftp://x", ["weight"] = -1 },
        17 => new JsonObject { ["addr"] = "127.0.0.1", ["port"] = random.Next(-1, 70000) },
        18 => new JsonObject { ["durationSeconds"] = random.Next(-1, 3), ["rps"] = random.Next(-1, 100) },
        19 => Nested(random.Next(1, 40)),
        20 => JsonValue.Create(int.MaxValue),
        21 => JsonValue.Create(long.MinValue),
        22 => JsonValue.Create("p99_ms < 250"),
        _ => JsonValue.Create(random.NextDouble() * 1000),
    };
}
