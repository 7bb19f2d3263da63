using System.Globalization;
using Kukai.Engine.Plans;
using Kukai.Toml;

namespace Kukai.Cli.Config;

/// <summary>Adapts a TOML value to <see cref="IPlanNode"/>, with <c>file:line:col</c> locations.</summary>
public sealed class TomlPlanNode(TomlValue value, string file) : IPlanNode
{
    private IReadOnlyList<IPlanNode>? _items;

    public PlanNodeKind Kind => value switch
    {
        TomlTable => PlanNodeKind.Table,
        TomlArray => PlanNodeKind.Array,
        TomlString => PlanNodeKind.String,
        TomlInteger => PlanNodeKind.Integer,
        TomlFloat => PlanNodeKind.Float,
        TomlBoolean => PlanNodeKind.Boolean,
        _ => PlanNodeKind.Other,
    };

    public string? Location => Where(value.Line, value.Column);

    public string Display => value switch
    {
        TomlTable => "a table",
        TomlArray => "an array",
        TomlString s => Quote(s.Value),
        TomlInteger i => i.Value.ToString(CultureInfo.InvariantCulture),
        TomlFloat f => FloatText(f.Value),
        TomlBoolean b => b.Value ? "true" : "false",
        _ => $"{value} ({value.KindName})",
    };

    public string? AsString => (value as TomlString)?.Value;

    public long? AsInteger => (value as TomlInteger)?.Value;

    public double? AsNumber => value switch
    {
        TomlInteger i => i.Value,
        TomlFloat f when double.IsFinite(f.Value) => f.Value,
        _ => null,
    };

    public bool? AsBoolean => (value as TomlBoolean)?.Value;

    public IEnumerable<PlanEntry> Entries => value is TomlTable t
        ? t.Keys.Select(k =>
        {
            var info = t.GetKeyInfo(k);
            return new PlanEntry(k, new TomlPlanNode(t[k], file), Where(info.Line, info.Column));
        })
        : [];

    // Built once: readers index it in loops.
    public IReadOnlyList<IPlanNode> Items => _items ??= value is TomlArray a ? [.. a.Select(v => (IPlanNode)new TomlPlanNode(v, file))] : [];

    private string? Where(int line, int column) => line > 0 ? $"{file}:{line}:{column}" : null;

    // As TOML would write it: a float keeps a fraction or exponent (1.0, not 1, which reads as an integer).
    private static string FloatText(double v)
    {
        if (double.IsNaN(v))
        {
            return "nan";
        }

        if (double.IsInfinity(v))
        {
            return v > 0 ? "inf" : "-inf";
        }

        var text = v.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0";
    }

    private static string Quote(string s)
    {
        var escaped = s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        return escaped.Length <= 60 ? $"\"{escaped}\"" : $"\"{escaped[..57]}...\"";
    }
}
