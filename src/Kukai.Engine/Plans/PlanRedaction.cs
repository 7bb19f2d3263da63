namespace Kukai.Engine.Plans;

/// <summary>
/// Secrets never appear in results or logs (SPEC §6): header values that carry credentials, and the values of
/// secret-looking query parameters in target urls (<c>?token=…</c>, <c>?api_key=…</c>, <c>X-Amz-Signature=…</c>), are
/// replaced by <see cref="Mask"/> wherever a plan is shown or stored, and in the target names results use
/// (<see cref="TargetPlan.Key"/>). Drivers still receive the real plan.
/// </summary>
public static class PlanRedaction
{
    public const string Mask = "***";

    private static readonly string[] SecretHeaders = ["authorization", "proxy-authorization", "cookie", "x-api-key", "api-key", "x-auth-token"];
    private static readonly string[] SecretWords = ["token", "secret", "password", "passwd", "apikey", "api-key", "api_key", "credential", "session", "signature"];
    private static readonly string[] SecretParameters = ["key", "sig", "auth", "pwd", "pass", "jwt"];

    public static bool IsSecretHeader(string name)
    {
        var lower = name.ToLowerInvariant();
        return SecretHeaders.Contains(lower) || SecretWords.Any(w => lower.Contains(w, StringComparison.Ordinal));
    }

    /// <summary>Whether a url query parameter's value is a secret: a secret word in its name, or a name such as <c>key</c> or <c>sig</c>.</summary>
    public static bool IsSecretParameter(string name)
    {
        var lower = name.ToLowerInvariant();
        return SecretParameters.Contains(lower) || SecretWords.Any(w => lower.Contains(w, StringComparison.Ordinal));
    }

    /// <summary>
    /// <paramref name="url"/> with the values of secret query parameters masked, everything else as written (the
    /// same string when there are none).
    /// </summary>
    public static string RedactUrl(string url)
    {
        var query = url.IndexOf('?', StringComparison.Ordinal);
        if (query < 0)
        {
            return url;
        }

        var end = url.IndexOf('#', query);
        end = end < 0 ? url.Length : end;
        var pairs = url[(query + 1)..end].Split('&');
        var masked = false;
        for (var i = 0; i < pairs.Length; i++)
        {
            var equals = pairs[i].IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && equals < pairs[i].Length - 1 && IsSecretParameter(Uri.UnescapeDataString(pairs[i][..equals])))
            {
                pairs[i] = pairs[i][..(equals + 1)] + Mask;
                masked = true;
            }
        }

        return masked ? string.Concat(url.AsSpan(0, query + 1), string.Join('&', pairs), url.AsSpan(end)) : url;
    }

    /// <summary>The plan with secret header values and url query parameters masked (the same instance when there are none).</summary>
    public static LoadPlan Redact(LoadPlan plan)
    {
        var headers = plan.Headers.Any(h => IsSecretHeader(h.Key));
        var urls = plan.Targets.Any(t => t.Url is { } url && !ReferenceEquals(RedactUrl(url), url));
        if (!headers && !urls)
        {
            return plan;
        }

        return plan with
        {
            Headers = headers ? [.. plan.Headers.Select(h => IsSecretHeader(h.Key) ? new KeyValuePair<string, string>(h.Key, Mask) : h)] : plan.Headers,
            Targets = urls ? [.. plan.Targets.Select(t => t.Url is { } url ? t with { Url = RedactUrl(url) } : t)] : plan.Targets,
        };
    }
}
