using System.Text.Json;

namespace Kukai.Engine.Plans;

/// <summary>Adapts a JSON value (an API request body) to <see cref="IPlanNode"/>. JSON has no positions: locations are null.</summary>
public sealed class JsonPlanNode : IPlanNode
{
    private readonly JsonElement _element;
    private IReadOnlyList<IPlanNode>? _items;

    public JsonPlanNode(JsonElement element) => _element = element;

    public PlanNodeKind Kind => _element.ValueKind switch
    {
        JsonValueKind.Object => PlanNodeKind.Table,
        JsonValueKind.Array => PlanNodeKind.Array,
        JsonValueKind.String => PlanNodeKind.String,
        JsonValueKind.Number => Integral(_element) is not null ? PlanNodeKind.Integer : PlanNodeKind.Float,
        JsonValueKind.True or JsonValueKind.False => PlanNodeKind.Boolean,
        JsonValueKind.Null => PlanNodeKind.Null,
        _ => PlanNodeKind.Other,
    };

    public string? Location => null;

    public string Display => _element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.Null => "null",
        _ => PlanText.Printable(Truncate(_element.GetRawText())),
    };

    public string? AsString => _element.ValueKind == JsonValueKind.String ? _element.GetString() : null;

    public long? AsInteger => _element.ValueKind == JsonValueKind.Number ? Integral(_element) : null;

    public double? AsNumber => _element.ValueKind == JsonValueKind.Number && _element.TryGetDouble(out var d) && double.IsFinite(d) ? d : null;

    public bool? AsBoolean => _element.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    public IEnumerable<PlanEntry> Entries => _element.ValueKind == JsonValueKind.Object
        ? _element.EnumerateObject().Select(p => new PlanEntry(p.Name, new JsonPlanNode(p.Value), null))
        : [];

    // Built once: readers index it in loops (rebuilding it on each access made a long list quadratic).
    public IReadOnlyList<IPlanNode> Items => _items ??= _element.ValueKind == JsonValueKind.Array
        ? [.. _element.EnumerateArray().Select(e => (IPlanNode)new JsonPlanNode(e))]
        : [];

    // JSON has one number type: 5, 5.0 and 5e0 are the same integer (as far as a double holds integers exactly).
    private static long? Integral(JsonElement number)
    {
        if (number.TryGetInt64(out var n))
        {
            return n;
        }

        const double Exact = 9_007_199_254_740_992; // 2^53
        return number.TryGetDouble(out var d) && Math.Abs(d) <= Exact && d == Math.Floor(d) ? (long)d : null;
    }

    private static string Truncate(string s) => s.Length <= 60 ? s : s[..57] + "...";
}
