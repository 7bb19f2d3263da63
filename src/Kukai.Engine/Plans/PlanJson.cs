using System.Text.Json;

namespace Kukai.Engine.Plans;

/// <summary>
/// Writes a plan as the camelCase JSON the API accepts (and <c>summary.json</c> stores), and reads it back through
/// <see cref="PlanReader"/>, so a stored plan can be re-submitted as it is. Unset optional values are omitted.
/// </summary>
public static class PlanJson
{
    public static void Write(Utf8JsonWriter w, LoadPlan plan)
    {
        w.WriteStartObject();
        w.WriteString("type", plan.Type == TestType.Tsunami ? "tsunami" : "avalanche");
        Number(w, "delayMs", plan.DelayMs);
        Number(w, "rps", plan.Rps);
        Integer(w, "concurrency", plan.Concurrency);
        Integer(w, "connections", plan.Connections);
        Integer(w, "requests", plan.Requests);
        Number(w, "durationSeconds", plan.DurationSeconds);
        w.WriteNumber("timeoutMs", plan.TimeoutMs);
        w.WriteStartArray("targets");
        foreach (var t in plan.Targets)
        {
            w.WriteStartObject();
            if (t.Url is not null)
            {
                w.WriteString("url", t.Url);
            }

            if (t.Addr is not null)
            {
                w.WriteString("addr", t.Addr);
            }

            Integer(w, "port", t.Port);
            w.WriteNumber("weight", t.Weight);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (plan.Payload is not null)
        {
            w.WriteString("payload", plan.Payload);
        }

        w.WriteString("method", plan.Method);
        if (!plan.Headers.IsDefaultOrEmpty)
        {
            w.WriteStartObject("headers");
            foreach (var (name, value) in plan.Headers)
            {
                w.WriteString(name, value);
            }

            w.WriteEndObject();
        }

        Integer(w, "drivers", plan.Drivers);
        if (!plan.Stages.IsDefaultOrEmpty)
        {
            w.WriteStartArray("stages");
            foreach (var s in plan.Stages)
            {
                w.WriteStartObject();
                w.WriteNumber("durationSeconds", s.DurationSeconds);
                Number(w, "rps", s.Rps);
                Integer(w, "concurrency", s.Concurrency);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        if (!plan.Thresholds.IsDefaultOrEmpty)
        {
            w.WriteStartArray("thresholds");
            foreach (var t in plan.Thresholds)
            {
                w.WriteStringValue(t);
            }

            w.WriteEndArray();
        }

        w.WriteNumber("recordRequests", plan.RecordRequests);
        // keep_alive matters only for raw TCP, but a non-default value is kept so the plan reads back equal.
        if (plan.Targets.Any(t => t.IsTcp) || !plan.KeepAlive)
        {
            w.WriteBoolean("keepAlive", plan.KeepAlive);
        }

        Integer(w, "responseBytes", plan.ResponseBytes);
        if (plan.ResponseDelimiter is not null)
        {
            w.WriteString("responseDelimiter", plan.ResponseDelimiter);
        }

        w.WriteString("httpVersion", plan.HttpVersion);
        if (plan.Insecure)
        {
            w.WriteBoolean("insecure", true);
        }

        if (plan.ArrowOutput is not null)
        {
            w.WriteString("arrowOutput", plan.ArrowOutput);
        }

        w.WriteEndObject();
    }

    public static string ToJson(LoadPlan plan)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            Write(w, plan);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Reads a plan from JSON (camelCase), with every issue reported.</summary>
    public static PlanReadResult Read(JsonElement element) => PlanReader.Read(new JsonPlanNode(element), PlanKeyStyle.CamelCase);

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
    }

    private static void Integer(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
    }
}
