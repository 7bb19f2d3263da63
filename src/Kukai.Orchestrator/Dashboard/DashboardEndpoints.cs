using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Kukai.Orchestrator.Dashboard;

/// <summary>Serves the dashboard (<c>GET /</c>) and its assets from resources embedded at build time.</summary>
internal static class DashboardEndpoints
{
    private const string Prefix = "Kukai.Orchestrator.Dashboard.wwwroot.";

    public static void Map(WebApplication app)
    {
        var assembly = typeof(DashboardEndpoints).Assembly;
        app.MapGet("/", () => Asset(assembly, "index.html"));
        app.MapGet("/assets/{name}", (string name) => Asset(assembly, name));
    }

    private static IResult Asset(Assembly assembly, string name)
    {
        var stream = assembly.GetManifestResourceStream(Prefix + name);
        if (stream is null)
        {
            return HttpResults.NotFound();
        }

        var type = Path.GetExtension(name) switch
        {
            ".html" => "text/html; charset=utf-8",
            ".js" or ".mjs" => "text/javascript; charset=utf-8",
            ".css" => "text/css; charset=utf-8",
            ".svg" => "image/svg+xml",
            _ => "application/octet-stream",
        };
        return HttpResults.Stream(stream, type);
    }
}
