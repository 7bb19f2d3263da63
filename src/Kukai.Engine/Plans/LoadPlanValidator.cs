using System.Globalization;
using System.Text;
using Kukai.Engine.Protocols;

namespace Kukai.Engine.Plans;

/// <summary>
/// Checks a <see cref="LoadPlan"/> before anything runs and reports <em>every</em> problem at once, each naming the
/// field, the value and the rule. Reads the plan, never changes it.
/// </summary>
public static class LoadPlanValidator
{
    public const int MaxConcurrency = 1_000_000;
    public const int MaxConnections = 100_000;
    public const long MaxRequests = 1_000_000_000_000;
    public const double MaxDurationSeconds = 7 * 24 * 3600;
    public const int MaxTimeoutMs = 3_600_000;
    public const double MaxRps = 10_000_000;

    /// <summary>The smallest tsunami gap: one request per driver every 0.1 µs is <see cref="MaxRps"/>.</summary>
    public const double MinDelayMs = 1000 / MaxRps;
    public const int MaxResponseDelimiterBytes = RequestChannelFactory.MaxResponseDelimiterBytes;

    public static IReadOnlyList<PlanError> Validate(LoadPlan plan)
    {
        var errors = new List<PlanError>();
        void Add(string field, object? value, string message) => errors.Add(new PlanError(field, Format(value), message));

        var tsunami = plan.Type == TestType.Tsunami;
        var rpsStages = !plan.Stages.IsDefaultOrEmpty && plan.Stages.Any(s => s.Rps is not null);

        // Rate: tsunami needs exactly one of delay_ms and rps (or rps stages); avalanche takes an optional rps ceiling.
        if (plan.DelayMs is { } delay && !(double.IsFinite(delay) && delay >= MinDelayMs && delay <= 3_600_000))
        {
            Add("delay_ms", delay, $"must be a number of milliseconds ≥ {MinDelayMs:0.####} ({MaxRps:0} requests/s) and ≤ 3600000 (fractions allowed)");
        }

        if (plan.Rps is { } rps && !(double.IsFinite(rps) && rps > 0 && rps <= MaxRps))
        {
            Add("rps", rps, $"must be > 0 and ≤ {MaxRps:0}");
        }

        if (tsunami)
        {
            if (plan.DelayMs is not null && plan.Rps is not null)
            {
                Add("delay_ms", plan.DelayMs, "and rps both set the tsunami gap: give one of them");
            }
            else if (plan.DelayMs is null && plan.Rps is null && !rpsStages)
            {
                Add("delay_ms", null, "is required for a tsunami test (or rps, or stages with rps)");
            }

            if (plan.Stages.Any(s => s.Concurrency is not null))
            {
                Add("stages", null, "of a tsunami test ramp rps, not concurrency");
            }
        }
        else if (plan.DelayMs is not null)
        {
            Add("delay_ms", plan.DelayMs, "applies to tsunami tests only (avalanche takes rps as a ceiling)");
        }

        if (plan.Concurrency is { } c && c is < 1 or > MaxConcurrency)
        {
            Add("concurrency", c, $"must be between 1 and {MaxConcurrency}");
        }

        if (plan.Connections is { } conn)
        {
            if (!tsunami)
            {
                Add("connections", conn, "applies to tsunami tests only (avalanche opens concurrency connections)");
            }
            else if (conn is < 1 or > MaxConnections)
            {
                Add("connections", conn, $"must be between 1 and {MaxConnections}");
            }
        }

        // Bounds: every test stops by itself.
        if (plan.Requests is { } n && n is < 1 or > MaxRequests)
        {
            Add("requests", n, $"must be between 1 and {MaxRequests}");
        }

        if (plan.DurationSeconds is { } d && !(double.IsFinite(d) && d > 0 && d <= MaxDurationSeconds))
        {
            Add("duration_seconds", d, $"must be > 0 and ≤ {MaxDurationSeconds:0} (7 days)");
        }

        if (plan.Requests is null && plan.DurationSeconds is null && plan.Stages.IsDefaultOrEmpty)
        {
            Add("requests", null, "is required, or duration_seconds (or stages): a test must end by itself");
        }

        if (plan.TimeoutMs is < 1 or > MaxTimeoutMs)
        {
            Add("timeout_ms", plan.TimeoutMs, $"must be between 1 and {MaxTimeoutMs}");
        }

        ValidateTargets(plan, Add);
        ValidateStages(plan, Add);

        if (!IsToken(plan.Method))
        {
            Add("method", plan.Method, "is not a valid HTTP method (letters, digits and !#$%&'*+-.^_`|~ only)");
        }

        foreach (var (name, value) in plan.Headers)
        {
            if (!IsToken(name))
            {
                Add($"headers.{name}", name, "is not a valid HTTP header name");
            }
            else if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                Add($"headers.{name}", null, "is set from the payload: remove it");
            }
            else if (value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
            {
                Add($"headers.{name}", value, "must not contain CR, LF or NUL");
            }
        }

        if (plan.HttpVersion is not ("1.1" or "2"))
        {
            Add("http_version", plan.HttpVersion, "must be \"1.1\" or \"2\"");
        }

        if (plan.Drivers is { } drivers && drivers is < 1 or > 100_000)
        {
            Add("drivers", drivers, "must be between 1 and 100000");
        }

        for (var i = 0; i < plan.Thresholds.Length; i++)
        {
            if (!Threshold.TryParse(plan.Thresholds[i], out _, out var why))
            {
                Add($"thresholds[{i}]", plan.Thresholds[i], why!);
            }
        }

        if (!(plan.RecordRequests is >= 0 and <= 1))
        {
            Add("record_requests", plan.RecordRequests, "must be true, false or a sampling fraction between 0 and 1");
        }

        var hasTcp = plan.Targets.Any(t => t.IsTcp && (t.Addr is not null || t.Port is not null));
        if (plan.ResponseBytes is { } rb && rb is < 1 or > 64 * 1024 * 1024)
        {
            Add("response_bytes", rb, "must be between 1 and 67108864");
        }

        if (plan.ResponseDelimiter is "")
        {
            Add("response_delimiter", "\"\"", "must not be empty");
        }
        else if (plan.ResponseDelimiter is not null && Encoding.UTF8.GetByteCount(plan.ResponseDelimiter) > MaxResponseDelimiterBytes)
        {
            Add("response_delimiter", null, $"must be at most {MaxResponseDelimiterBytes} bytes (UTF-8)");
        }

        if (plan.ResponseBytes is not null && plan.ResponseDelimiter is not null)
        {
            Add("response_bytes", plan.ResponseBytes, "and response_delimiter both end a reply: give one of them");
        }

        if (!hasTcp && plan.Targets.Length > 0)
        {
            if (plan.ResponseBytes is not null)
            {
                Add("response_bytes", plan.ResponseBytes, "applies to raw-TCP targets (addr/port) and the plan has none");
            }

            if (plan.ResponseDelimiter is not null)
            {
                Add("response_delimiter", plan.ResponseDelimiter, "applies to raw-TCP targets (addr/port) and the plan has none");
            }

            if (!plan.KeepAlive)
            {
                Add("keep_alive", false, "applies to raw-TCP targets (addr/port) and the plan has none (HTTP connections are always kept)");
            }
        }

        if (hasTcp && string.IsNullOrEmpty(plan.Payload))
        {
            Add("payload", null, "is required with raw-TCP targets (addr/port): the bytes each request sends");
        }

        return errors;
    }

    private static void ValidateTargets(LoadPlan plan, Action<string, object?, string> add)
    {
        if (plan.Targets.IsDefaultOrEmpty)
        {
            add("targets", null, "needs at least one target: a url (HTTP, e.g. http://127.0.0.1:8080/ping) or an addr and a port (raw TCP)");
            return;
        }

        var problems = 0;
        void Add(string field, object? value, string rule)
        {
            problems++;
            add(field, value, rule);
        }

        // Results are kept per target, named by its key: two targets with one key would share (and lose) a row.
        var firstWithKey = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < plan.Targets.Length; i++)
        {
            var before = problems;
            ValidateTarget(plan.Targets[i], $"targets[{i}]", Add);
            var t = plan.Targets[i];
            if (problems == before && !firstWithKey.TryAdd(t.Key, i))
            {
                add(t.Url is null ? $"targets[{i}].addr" : $"targets[{i}].url", t.Key,
                    $"is the same target as targets[{firstWithKey[t.Key]}] (results are kept per target); give that one a larger weight instead");
            }
        }
    }

    private static void ValidateTarget(TargetPlan t, string f, Action<string, object?, string> add)
    {
        if (!(double.IsFinite(t.Weight) && t.Weight > 0))
        {
            add($"{f}.weight", t.Weight, "must be a number > 0");
        }

        if (t.Url is not null)
        {
            if (t.Addr is not null || t.Port is not null)
            {
                add(f, null, "has both url and addr/port: give url (HTTP) or addr and port (raw TCP)");
            }

            if (!Uri.TryCreate(t.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
            {
                add($"{f}.url", PlanRedaction.RedactUrl(t.Url), "must be an absolute http:// or https:// url with a host");
            }
            else if (uri.Port == 0)
            {
                add($"{f}.url", PlanRedaction.RedactUrl(t.Url), "must name a port between 1 and 65535 (port 0 cannot be connected to)");
            }
            else if (!string.IsNullOrEmpty(uri.UserInfo) || uri.Fragment.Length > 0)
            {
                add($"{f}.url", PlanRedaction.RedactUrl(t.Url), "must not contain user info or a #fragment");
            }

            return;
        }

        if (t.Addr is null && t.Port is null)
        {
            add($"{f}.url", null, "is required: give url (HTTP) or addr and port (raw TCP)");
            return;
        }

        if (string.IsNullOrWhiteSpace(t.Addr))
        {
            add($"{f}.addr", t.Addr, "is required (or url for an HTTP target)");
        }
        else if (Uri.CheckHostName(t.Addr) == UriHostNameType.Unknown)
        {
            add($"{f}.addr", t.Addr, "is not a host name or IP address");
        }

        if (t.Port is not { } port || port is < 1 or > 65535)
        {
            add($"{f}.port", t.Port, "must be a TCP port between 1 and 65535");
        }
    }

    private static void ValidateStages(LoadPlan plan, Action<string, object?, string> add)
    {
        if (plan.Stages.IsDefaultOrEmpty)
        {
            return;
        }

        var kinds = new HashSet<string>();
        for (var i = 0; i < plan.Stages.Length; i++)
        {
            var s = plan.Stages[i];
            var f = $"stages[{i}]";
            if (!(double.IsFinite(s.DurationSeconds) && s.DurationSeconds > 0 && s.DurationSeconds <= MaxDurationSeconds))
            {
                add($"{f}.duration_seconds", s.DurationSeconds, "must be > 0 and ≤ 604800");
            }

            if ((s.Rps is null) == (s.Concurrency is null))
            {
                add(f, null, "needs exactly one of rps and concurrency");
                continue;
            }

            kinds.Add(s.Rps is null ? "concurrency" : "rps");
            if (s.Rps is { } r && !(double.IsFinite(r) && r >= 0 && r <= MaxRps))
            {
                add($"{f}.rps", r, $"must be ≥ 0 and ≤ {MaxRps:0}");
            }

            if (s.Concurrency is { } c && c is < 0 or > MaxConcurrency)
            {
                add($"{f}.concurrency", c, $"must be between 0 and {MaxConcurrency}");
            }
        }

        if (kinds.Count > 1)
        {
            add("stages", null, "must all ramp the same thing: rps or concurrency, not both");
        }
        else if (plan.Type == TestType.Avalanche && plan.Rps is not null && kinds.Contains("concurrency"))
        {
            // A paced avalanche keeps `concurrency` connections and follows the rate; it would ignore these stages.
            add("stages", null, "ramp concurrency, which an avalanche with an rps ceiling does not follow: ramp rps instead, or remove rps");
        }
    }

    private static bool IsToken(string s)
    {
        if (s.Length == 0)
        {
            return false;
        }

        foreach (var ch in s)
        {
            if (!(char.IsAsciiLetterOrDigit(ch) || "!#$%&'*+-.^_`|~".Contains(ch)))
            {
                return false;
            }
        }

        return true;
    }

    private static string? Format(object? value) => value switch
    {
        null => null,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
