namespace Kukai.Engine.Plans;

/// <summary>
/// Secrets never appear in results or logs (SPEC §6): header values that carry credentials are replaced by
/// <see cref="Mask"/> wherever a plan is shown or stored. Drivers still receive the real plan.
/// </summary>
public static class PlanRedaction
{
    public const string Mask = "***";

    private static readonly string[] SecretHeaders = ["authorization", "proxy-authorization", "cookie", "x-api-key", "api-key", "x-auth-token"];
    private static readonly string[] SecretWords = ["token", "secret", "password", "passwd", "apikey", "api-key", "api_key", "credential", "session"];

    public static bool IsSecretHeader(string name)
    {
        var lower = name.ToLowerInvariant();
        return SecretHeaders.Contains(lower) || SecretWords.Any(w => lower.Contains(w, StringComparison.Ordinal));
    }

    /// <summary>The plan with secret header values masked (the same instance when there are none).</summary>
    public static LoadPlan Redact(LoadPlan plan)
    {
        if (!plan.Headers.Any(h => IsSecretHeader(h.Key)))
        {
            return plan;
        }

        return plan with { Headers = [.. plan.Headers.Select(h => IsSecretHeader(h.Key) ? new KeyValuePair<string, string>(h.Key, Mask) : h)] };
    }
}
