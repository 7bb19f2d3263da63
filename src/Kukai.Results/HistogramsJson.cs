using System.Text.Json;
using Kukai.Engine.Histograms;
using Kukai.Engine.Metrics;

namespace Kukai.Results;

/// <summary>
/// <c>histograms.json</c>: every scope's latency and service-time histograms (µs), each in the compact binary form of
/// <see cref="LatencyHistogram"/> (version 1), base64. What any percentile of a finished test is read from.
/// </summary>
/// <example><code>
/// { "format": "kukai-histograms", "version": 1, "unit": "us",
///   "aggregate": { "latency": "AQ…", "serviceTime": "AQ…" },
///   "perDriver": { "driver-1": { … } }, "perTarget": { "http://127.0.0.1:8080/ping": { … } } }
/// </code></example>
public static class HistogramsJson
{
    public const string Format = "kukai-histograms";

    public const int Version = 1;

    public static void Write(Stream stream, TestHistograms histograms)
    {
        using var w = new Utf8JsonWriter(stream);
        w.WriteStartObject();
        w.WriteString("format", Format);
        w.WriteNumber("version", Version);
        w.WriteString("unit", "us");
        w.WritePropertyName("aggregate");
        WriteScope(w, histograms.Aggregate);
        WriteScopes(w, "perDriver", histograms.PerDriver);
        WriteScopes(w, "perTarget", histograms.PerTarget);
        w.WriteEndObject();
    }

    /// <summary>Reads the file at <paramref name="path"/>; <see cref="InvalidDataException"/> naming it and the field when malformed.</summary>
    public static TestHistograms Read(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var doc = JsonDocument.Parse(stream);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String || format.GetString() != Format
                || !root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var v) || v != Version)
            {
                throw new InvalidDataException($"{path}: not a {Format} document of version {Version}");
            }

            return new TestHistograms(
                ReadScope(path, "aggregate", Property(path, root, "aggregate")),
                ReadScopes(path, "perDriver", Property(path, root, "perDriver")),
                ReadScopes(path, "perTarget", Property(path, root, "perTarget")));
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: {ex.Message}", ex);
        }
    }

    private static void WriteScopes(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, ScopeHistograms> scopes)
    {
        w.WriteStartObject(name);
        foreach (var (key, scope) in scopes)
        {
            w.WritePropertyName(key);
            WriteScope(w, scope);
        }

        w.WriteEndObject();
    }

    private static void WriteScope(Utf8JsonWriter w, ScopeHistograms scope)
    {
        w.WriteStartObject();
        w.WriteBase64String("latency", scope.Latency.ToByteArray());
        w.WriteBase64String("serviceTime", scope.ServiceTime.ToByteArray());
        w.WriteEndObject();
    }

    private static SortedDictionary<string, ScopeHistograms> ReadScopes(string path, string name, JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{path}: {name} is not an object");
        }

        var scopes = new SortedDictionary<string, ScopeHistograms>(StringComparer.Ordinal);
        foreach (var p in e.EnumerateObject())
        {
            scopes[p.Name] = ReadScope(path, $"{name}.{p.Name}", p.Value);
        }

        return scopes;
    }

    private static ScopeHistograms ReadScope(string path, string name, JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{path}: {name} is not an object");
        }

        return new ScopeHistograms(Histogram(path, $"{name}.latency", Property(path, e, "latency")), Histogram(path, $"{name}.serviceTime", Property(path, e, "serviceTime")));
    }

    private static LatencyHistogram Histogram(string path, string name, JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.String || !e.TryGetBytesFromBase64(out var bytes))
        {
            throw new InvalidDataException($"{path}: {name} is not base64");
        }

        return LatencyHistogram.TryReadFrom(bytes, out LatencyHistogram? h, out var error)
            ? h
            : throw new InvalidDataException($"{path}: {name}: {error}");
    }

    private static JsonElement Property(string path, JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) ? value : throw new InvalidDataException($"{path}: {name} is missing");
}
