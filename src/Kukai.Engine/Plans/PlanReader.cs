using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Kukai.Engine.Plans;

/// <summary>
/// Binds a plan document (SPEC §2: the <c>[load]</c> table of a TOML config, or the JSON body of
/// <c>POST /api/tests</c>) to a <see cref="LoadPlan"/>, then validates it. Every problem is reported at once: unknown
/// keys (with the nearest known one), wrong types, and every rule of <see cref="LoadPlanValidator"/>, each with the
/// field as the document spells it and, for TOML, its <c>file:line:col</c>.
/// </summary>
public static partial class PlanReader
{
    /// <summary>Keys of a plan in snake_case (TOML spelling); JSON uses the camelCase form of each.</summary>
    public static readonly ImmutableArray<string> PlanKeys =
    [
        "type", "delay_ms", "rps", "concurrency", "connections", "requests", "duration_seconds", "timeout_ms",
        "targets", "payload", "method", "headers", "drivers", "stages", "thresholds", "record_requests",
        "keep_alive", "response_bytes", "response_delimiter", "http_version", "insecure", "arrow_output",
    ];

    private static readonly string[] TargetKeys = ["url", "addr", "port", "weight"];
    private static readonly string[] StageKeys = ["duration_seconds", "rps", "concurrency"];

    /// <summary>
    /// Reads <paramref name="table"/> as a plan. <paramref name="prefix"/> is prepended to field names in messages
    /// (e.g. <c>"load."</c>); <paramref name="excludedKeys"/> (snake_case) are treated as unknown in this context.
    /// </summary>
    public static PlanReadResult Read(IPlanNode table, PlanKeyStyle style, string prefix = "", IReadOnlyCollection<string>? excludedKeys = null)
    {
        var reader = new Reader(style, prefix);
        var plan = reader.ReadPlan(table, excludedKeys ?? []);
        if (plan is null)
        {
            return new PlanReadResult(null, Capped(reader.Issues, prefix));
        }

        // The plan is validated even when some values could not be read, so that every problem is reported at once;
        // rules that involve a value that could not be read are left out (their message would be about a default).
        foreach (var error in LoadPlanValidator.Validate(plan))
        {
            if (!reader.IsAffectedByUnreadValue(error.Field))
            {
                reader.AddValidation(error);
            }
        }

        return reader.Issues.Count > 0 ? new PlanReadResult(null, Capped(reader.Issues, prefix)) : new PlanReadResult(plan, []);
    }

    /// <summary>The most problems listed; past it one line says how many more there are (a plan of a thousand bad keys
    /// gets an answer of a hundred lines, not a thousand).</summary>
    public const int MaxIssues = 100;

    private static List<PlanIssue> Capped(List<PlanIssue> issues, string prefix)
    {
        if (issues.Count <= MaxIssues)
        {
            return issues;
        }

        var field = prefix.Length > 0 ? prefix.TrimEnd('.') : "plan";
        return [.. issues.Take(MaxIssues), new PlanIssue(field, null, $"and {issues.Count - MaxIssues} more problems (only the first {MaxIssues} are listed)")];
    }

    /// <summary>A snake_case key in the given style.</summary>
    public static string Spell(string snake, PlanKeyStyle style)
    {
        if (style == PlanKeyStyle.SnakeCase)
        {
            return snake;
        }

        var sb = new StringBuilder(snake.Length);
        var upper = false;
        foreach (var ch in snake)
        {
            if (ch == '_')
            {
                upper = true;
                continue;
            }

            sb.Append(upper ? char.ToUpperInvariant(ch) : ch);
            upper = false;
        }

        return sb.ToString();
    }

    /// <summary>Spells every segment of a snake_case field path (<c>targets[1].response_bytes</c>) in the style.</summary>
    public static string SpellPath(string snakePath, PlanKeyStyle style)
    {
        if (style == PlanKeyStyle.SnakeCase)
        {
            return snakePath;
        }

        var parts = snakePath.Split('.');
        for (var i = 0; i < parts.Length; i++)
        {
            var bracket = parts[i].IndexOf('[', StringComparison.Ordinal);
            parts[i] = bracket < 0 ? Spell(parts[i], style) : Spell(parts[i][..bracket], style) + parts[i][bracket..];
        }

        return string.Join('.', parts);
    }

    private sealed class Reader(PlanKeyStyle style, string prefix)
    {
        // Validation rules that read other settings than the one they name (snake_case roots): such a rule is left out
        // when one of those settings could not be read.
        private static readonly Dictionary<string, string[]> RuleInputs = new(StringComparer.Ordinal)
        {
            ["delay_ms"] = ["type", "rps", "stages"],
            ["connections"] = ["type"],
            ["stages"] = ["type", "rps"],
            ["requests"] = ["duration_seconds", "stages"],
            ["payload"] = ["targets"],
            ["response_bytes"] = ["targets", "response_delimiter"],
            ["response_delimiter"] = ["targets", "response_bytes"],
        };

        private readonly Dictionary<string, string?> _locations = new(StringComparer.Ordinal);

        // Snake_case paths of values that could not be read (wrong type, bad item), and of known keys an unknown key
        // probably meant ("rsp" → "rps").
        private readonly HashSet<string> _unread = new(StringComparer.Ordinal);

        public List<PlanIssue> Issues { get; } = [];

        /// <summary>
        /// True when a validation error on <paramref name="field"/> may come from a value that could not be read: the
        /// same setting or list item, the list of a bad item (or an item of a bad list), or an input of a rule on a whole
        /// setting (a rule on one list item, such as a stage's duration, reads only that item).
        /// </summary>
        public bool IsAffectedByUnreadValue(string field)
        {
            var root = Root(field);
            var name = Name(root);
            foreach (var unread in _unread)
            {
                var unreadRoot = Root(unread);
                var unreadName = Name(unreadRoot);
                if (unreadRoot == root
                    || (unreadName == name && (unreadRoot == unreadName || root == name))
                    || (field == name && RuleInputs.TryGetValue(name, out var inputs) && inputs.Contains(unreadName)))
                {
                    return true;
                }
            }

            return false;
        }

        public void AddValidation(PlanError error)
        {
            // Point at the most specific field that has a location: "targets[1].port" → "targets[1]" → "targets".
            string? location = null;
            for (var path = error.Field; path.Length > 0 && location is null; path = Parent(path))
            {
                location = _locations.GetValueOrDefault(path);
            }

            location ??= _locations.GetValueOrDefault(string.Empty);
            // The rules name other keys in snake_case (delay_ms): in the API's camelCase (delayMs), as its fields are.
            var rule = style == PlanKeyStyle.SnakeCase
                ? error.Message
                : SnakeCaseWord().Replace(error.Message, m => PlanKeys.Contains(m.Value) || StageKeys.Contains(m.Value) ? Spell(m.Value, style) : m.Value);
            var message = error.Value is null ? rule : $"{Quote(error.Value)} {rule}";
            Issues.Add(Issue(prefix + SpellPath(error.Field, style), location, message));
        }

        public LoadPlan? ReadPlan(IPlanNode table, IReadOnlyCollection<string> excluded)
        {
            _locations[string.Empty] = table.Location;
            if (table.Kind != PlanNodeKind.Table)
            {
                Add(string.Empty, table, $"must be a table of plan settings, not {table.Display}");
                return null;
            }

            var plan = new LoadPlan();
            var known = PlanKeys.Where(k => !excluded.Contains(k)).ToArray();
            foreach (var (key, value, keyLocation) in Entries(table, known, string.Empty))
            {
                _locations[key] = value.Location ?? keyLocation;
                plan = key switch
                {
                    "type" => ReadType(plan, value),
                    "delay_ms" => plan with { DelayMs = Number(key, value) },
                    "rps" => plan with { Rps = Number(key, value) },
                    "concurrency" => plan with { Concurrency = Int(key, value) },
                    "connections" => plan with { Connections = Int(key, value) },
                    "requests" => plan with { Requests = Long(key, value) },
                    "duration_seconds" => plan with { DurationSeconds = Number(key, value) },
                    "timeout_ms" => plan with { TimeoutMs = Int(key, value) ?? plan.TimeoutMs },
                    "targets" => plan with { Targets = ReadTargets(value) },
                    "payload" => plan with { Payload = String(key, value) },
                    "method" => plan with { Method = String(key, value) ?? plan.Method },
                    "headers" => plan with { Headers = ReadHeaders(value) },
                    "drivers" => plan with { Drivers = Int(key, value) },
                    "stages" => plan with { Stages = ReadStages(value) },
                    "thresholds" => plan with { Thresholds = ReadStrings(key, value) },
                    "record_requests" => ReadRecordRequests(plan, value),
                    "keep_alive" => plan with { KeepAlive = Bool(key, value) ?? plan.KeepAlive },
                    "response_bytes" => plan with { ResponseBytes = Int(key, value) },
                    "response_delimiter" => plan with { ResponseDelimiter = String(key, value) },
                    "http_version" => plan with { HttpVersion = ReadHttpVersion(value) ?? plan.HttpVersion },
                    "insecure" => plan with { Insecure = Bool(key, value) ?? plan.Insecure },
                    "arrow_output" => plan with { ArrowOutput = String(key, value) },
                    _ => plan,
                };
            }

            return plan;
        }

        private IEnumerable<PlanEntry> Entries(IPlanNode table, string[] known, string path)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in table.Entries)
            {
                var snake = known.FirstOrDefault(k => Spell(k, style) == entry.Key);
                var field = path.Length == 0 ? entry.Key : $"{path}.{entry.Key}";
                if (snake is null)
                {
                    var near = KeySuggestions.Nearest(entry.Key, known.Select(k => Spell(k, style)));
                    var hint = near is null ? $"known keys: {string.Join(", ", known.Select(k => Spell(k, style)))}" : $"did you mean '{near}'?";
                    if (near is not null)
                    {
                        var meant = known.First(k => Spell(k, style) == near);
                        _unread.Add(path.Length == 0 ? meant : $"{path}.{meant}");
                    }

                    Issues.Add(Issue(prefix + field, entry.KeyLocation ?? entry.Value.Location, $"unknown key ({hint})"));
                    continue;
                }

                if (entry.Value.Kind == PlanNodeKind.Null)
                {
                    continue; // JSON null for an optional setting means "not set"
                }

                if (!seen.Add(snake))
                {
                    Issues.Add(Issue(prefix + field, entry.KeyLocation ?? entry.Value.Location, "is given twice"));
                    continue;
                }

                yield return entry with { Key = path.Length == 0 ? snake : $"{path}.{snake}" };
            }
        }

        private LoadPlan ReadType(LoadPlan plan, IPlanNode value)
        {
            var s = String("type", value);
            switch (s?.ToLowerInvariant())
            {
                case null:
                    return plan;
                case "avalanche":
                    return plan with { Type = TestType.Avalanche };
                case "tsunami":
                    return plan with { Type = TestType.Tsunami };
                default:
                    Add("type", value, $"{value.Display} is not a test type: use \"avalanche\" or \"tsunami\"");
                    return plan;
            }
        }

        private string? ReadHttpVersion(IPlanNode value) => value.Kind switch
        {
            PlanNodeKind.String => value.AsString,
            PlanNodeKind.Integer or PlanNodeKind.Float => value.AsNumber == 2 ? "2" : value.AsNumber == 1.1 ? "1.1" : value.Display,
            _ => Fail<string>("http_version", value, "must be \"1.1\" or \"2\""),
        };

        private LoadPlan ReadRecordRequests(LoadPlan plan, IPlanNode value)
        {
            if (value.AsBoolean is { } b)
            {
                return plan with { RecordRequests = b ? 1.0 : 0.0 };
            }

            if (value.AsNumber is { } f)
            {
                return plan with { RecordRequests = f };
            }

            Add("record_requests", value, $"{value.Display} must be true, false or a sampling fraction between 0 and 1");
            return plan;
        }

        private ImmutableArray<TargetPlan> ReadTargets(IPlanNode value)
        {
            if (value.Kind != PlanNodeKind.Array)
            {
                Add("targets", value, $"must be a list of targets, not {value.Display}");
                return [];
            }

            var builder = ImmutableArray.CreateBuilder<TargetPlan>();
            for (var i = 0; i < value.Items.Count; i++)
            {
                var item = value.Items[i];
                var path = $"targets[{i}]";
                _locations[path] = item.Location;
                if (item.Kind != PlanNodeKind.Table)
                {
                    Add(path, item, $"must be a table like {{ url = \"http://127.0.0.1:8080/ping\" }} or {{ addr = \"127.0.0.1\", port = 9090 }}, not {item.Display}");
                    builder.Add(new TargetPlan()); // keeps the indexes of the items after it
                    continue;
                }

                var target = new TargetPlan();
                foreach (var (key, v, keyLocation) in Entries(item, TargetKeys, path))
                {
                    _locations[key] = v.Location ?? keyLocation;
                    target = key[(path.Length + 1)..] switch
                    {
                        "url" => target with { Url = String(key, v) },
                        "addr" => target with { Addr = String(key, v) },
                        "port" => target with { Port = Int(key, v) },
                        "weight" => target with { Weight = Number(key, v) ?? target.Weight },
                        _ => target,
                    };
                }

                builder.Add(target);
            }

            return builder.ToImmutable();
        }

        private ImmutableArray<StagePlan> ReadStages(IPlanNode value)
        {
            if (value.Kind != PlanNodeKind.Array)
            {
                Add("stages", value, $"must be a list of {{ duration_seconds, rps }} or {{ duration_seconds, concurrency }}, not {value.Display}");
                return [];
            }

            var builder = ImmutableArray.CreateBuilder<StagePlan>();
            for (var i = 0; i < value.Items.Count; i++)
            {
                var item = value.Items[i];
                var path = $"stages[{i}]";
                _locations[path] = item.Location;
                if (item.Kind != PlanNodeKind.Table)
                {
                    Add(path, item, $"must be a table {{ duration_seconds, rps }} or {{ duration_seconds, concurrency }}, not {item.Display}");
                    builder.Add(new StagePlan()); // keeps the indexes of the items after it
                    continue;
                }

                var stage = new StagePlan();
                var hasDuration = false;
                foreach (var (key, v, keyLocation) in Entries(item, StageKeys, path))
                {
                    _locations[key] = v.Location ?? keyLocation;
                    switch (key[(path.Length + 1)..])
                    {
                        case "duration_seconds":
                            hasDuration = true;
                            stage = stage with { DurationSeconds = Number(key, v) ?? 0 };
                            break;
                        case "rps":
                            stage = stage with { Rps = Number(key, v) };
                            break;
                        case "concurrency":
                            stage = stage with { Concurrency = Int(key, v) };
                            break;
                    }
                }

                if (!hasDuration)
                {
                    _unread.Add(path);
                    Issues.Add(Issue(prefix + SpellPath(path, style) + "." + Spell("duration_seconds", style), item.Location, "is required"));
                }

                builder.Add(stage);
            }

            return builder.ToImmutable();
        }

        private ImmutableArray<KeyValuePair<string, string>> ReadHeaders(IPlanNode value)
        {
            if (value.Kind != PlanNodeKind.Table)
            {
                Add("headers", value, $"must be a table of header names to values, not {value.Display}");
                return [];
            }

            var builder = ImmutableArray.CreateBuilder<KeyValuePair<string, string>>();
            foreach (var entry in value.Entries)
            {
                var path = $"headers.{entry.Key}";
                _locations[path] = entry.Value.Location ?? entry.KeyLocation;
                if (entry.Value.AsString is { } s)
                {
                    builder.Add(new(entry.Key, s));
                }
                else
                {
                    _unread.Add(path);
                    Issues.Add(Issue(prefix + Spell("headers", style) + "." + entry.Key, entry.Value.Location, $"{entry.Value.Display} must be a string"));
                }
            }

            return builder.ToImmutable();
        }

        private ImmutableArray<string> ReadStrings(string key, IPlanNode value)
        {
            if (value.Kind != PlanNodeKind.Array)
            {
                Add(key, value, $"must be a list of strings, not {value.Display}");
                return [];
            }

            var builder = ImmutableArray.CreateBuilder<string>();
            for (var i = 0; i < value.Items.Count; i++)
            {
                var item = value.Items[i];
                _locations[$"{key}[{i}]"] = item.Location;
                if (item.AsString is { } s)
                {
                    builder.Add(s);
                }
                else
                {
                    Add($"{key}[{i}]", item, $"{item.Display} must be a string");
                    builder.Add(string.Empty); // keeps the indexes of the items after it
                }
            }

            return builder.ToImmutable();
        }

        private double? Number(string key, IPlanNode value) =>
            value.AsNumber is { } d ? d : Fail<double?>(key, value, $"{value.Display} must be a number");

        private long? Long(string key, IPlanNode value) =>
            value.AsInteger is { } n ? n : Fail<long?>(key, value, $"{value.Display} must be an integer");

        private int? Int(string key, IPlanNode value)
        {
            if (value.AsInteger is { } n)
            {
                if (n is >= int.MinValue and <= int.MaxValue)
                {
                    return (int)n;
                }

                return Fail<int?>(key, value, $"{value.Display} is out of range for this setting");
            }

            return Fail<int?>(key, value, $"{value.Display} must be an integer");
        }

        private string? String(string key, IPlanNode value) =>
            value.AsString ?? Fail<string>(key, value, $"{value.Display} must be a string");

        private bool? Bool(string key, IPlanNode value) =>
            value.AsBoolean ?? Fail<bool?>(key, value, $"{value.Display} must be true or false");

        private T? Fail<T>(string key, IPlanNode value, string message)
        {
            Add(key, value, message);
            return default;
        }

        // The document itself (empty path) is named by the prefix without its dot ("load"), or "plan" without one.
        private void Add(string snakePath, IPlanNode value, string message)
        {
            _unread.Add(snakePath);
            Issues.Add(Issue(
                snakePath.Length > 0 ? prefix + SpellPath(snakePath, style) : prefix.Length > 0 ? prefix.TrimEnd('.') : "plan",
                value.Location,
                message));
        }

        // "targets[1].url" → "targets[1]"; a header is its own root: "headers.X-A" (names may contain dots).
        private static string Root(string path)
        {
            var dot = path.IndexOf('.', StringComparison.Ordinal);
            return dot < 0 || path.StartsWith("headers.", StringComparison.Ordinal) ? path : path[..dot];
        }

        // "targets[1]" → "targets".
        private static string Name(string root)
        {
            var bracket = root.IndexOf('[', StringComparison.Ordinal);
            return bracket < 0 ? root : root[..bracket];
        }

        private static string Parent(string path)
        {
            var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
            return cut <= 0 ? string.Empty : path[..cut];
        }

        // Numbers and booleans as they are; "\"\"" is already quoted by the validator; other text quoted.
        private static string Quote(string value) =>
            double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) || value is "true" or "false" or "\"\""
                ? value
                : PlanText.Quote(value);

        // Every issue is one printable line, whatever keys and values the document holds.
        private static PlanIssue Issue(string field, string? location, string message) =>
            new(PlanText.Printable(field), location, PlanText.Printable(message));
    }

    [GeneratedRegex(@"\b[a-z]+(?:_[a-z]+)+\b")]
    private static partial Regex SnakeCaseWord();
}
