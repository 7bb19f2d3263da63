using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Kukai.Orchestrator.Auth;

/// <summary>
/// With a token configured, every <c>/api</c> route and the seed routes require <c>Authorization: Bearer TOKEN</c>
/// (SPEC §6), compared in constant time; anything else is 401 with problem details. The dashboard page itself
/// loads without it and asks for the token once.
/// </summary>
public sealed class TokenAuthentication(byte[] tokenHash)
{
    /// <summary>Null when no token is configured (the API is open; it binds to 127.0.0.1 by default).</summary>
    public static TokenAuthentication? Create(string? token) =>
        string.IsNullOrEmpty(token) ? null : new TokenAuthentication(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>The challenge sent with every 401 (RFC 6750).</summary>
    public const string Challenge = "Bearer realm=\"kukai\"";

    /// <summary>
    /// True when the path needs the token. Routes match paths without regard to case (<c>/API/health</c> is
    /// <c>/api/health</c>), and so does this check.
    /// </summary>
    public static bool IsProtected(PathString path) =>
        path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) ||
        path.StartsWithSegments("/start-test", StringComparison.OrdinalIgnoreCase) ||
        path.StartsWithSegments("/report-stats", StringComparison.OrdinalIgnoreCase);

    private static bool AcceptsQueryToken(PathString path) =>
        path.StartsWithSegments("/api/events", StringComparison.OrdinalIgnoreCase) ||
        (path.StartsWithSegments("/api/tests", StringComparison.OrdinalIgnoreCase) && path.Value!.Contains("/files/", StringComparison.OrdinalIgnoreCase));

    public bool IsAuthorized(HttpRequest request)
    {
        // EventSource and plain links cannot send headers: the event stream and the results files also accept
        // ?access_token= (a link to a file can then be opened in a new tab).
        string? presented = null;
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            presented = header["Bearer ".Length..].Trim();
        }
        else if (AcceptsQueryToken(request.Path) && request.Query.TryGetValue("access_token", out var q))
        {
            presented = q.ToString();
        }

        if (presented is null)
        {
            return false;
        }

        // Hashing first makes the comparison constant-time in the length too.
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), tokenHash);
    }
}
