using System.Net;

namespace Kukai.Orchestrator;

/// <summary>How the orchestrator's HTTP server listens.</summary>
/// <param name="Listen">Address to bind (default 127.0.0.1; SPEC §6).</param>
/// <param name="Token">Bearer token required on the API (SPEC §6); null = open.</param>
/// <param name="Version">Reported by <c>/api/health</c>.</param>
public sealed record OrchestratorServerOptions(IPEndPoint Listen, string? Token, string Version)
{
    /// <summary>Largest request body the API accepts (plans); uploads of per-request rows are exempt.</summary>
    public const long MaxBodyBytes = 1024 * 1024;
}
