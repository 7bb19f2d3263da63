using System.Text.Json;

namespace Kukai.TestSupport;

/// <summary>Reads a results folder's files for assertions.</summary>
public sealed class ResultsFiles(string folder)
{
    public string Folder { get; } = folder;

    public JsonElement Summary()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "summary.json")));
        return doc.RootElement.Clone();
    }

    public IReadOnlyList<string[]> TimeseriesRows() =>
        [.. File.ReadAllLines(Path.Combine(Folder, "timeseries.csv")).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(','))];

    public static long Long(JsonElement e, params string[] path)
    {
        foreach (var p in path)
        {
            e = e.GetProperty(p);
        }

        return e.GetInt64();
    }

    public static double Double(JsonElement e, params string[] path)
    {
        foreach (var p in path)
        {
            e = e.GetProperty(p);
        }

        return e.GetDouble();
    }
}
