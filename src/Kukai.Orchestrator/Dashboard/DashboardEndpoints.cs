using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Kukai.Orchestrator.Dashboard;

/// <summary>
/// Serves the dashboard (<c>GET /</c>) and its assets (<c>GET /assets/{name}</c>) from resources embedded at build
/// time: <c>wwwroot/*</c> and uPlot's <c>uPlot.iife.min.js</c> and <c>uPlot.min.css</c> (see the csproj). Nothing is
/// fetched from elsewhere at run time; the page itself needs no token (the API it calls does).
/// </summary>
internal static class DashboardEndpoints
{
    private const string Prefix = "Kukai.Orchestrator.Dashboard.wwwroot.";

    // Same-origin only; style attributes are set through the CSSOM (allowed), never as markup; file downloads
    // with a token go through blob: URLs.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    public static void Map(WebApplication app)
    {
        var assembly = typeof(DashboardEndpoints).Assembly;
        app.MapGet("/", (HttpContext context) => Asset(assembly, context, "index.html"));
        app.MapGet("/assets/{name}", (HttpContext context, string name) => Asset(assembly, context, name));
    }

    private static IResult Asset(Assembly assembly, HttpContext context, string name)
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

        // Assets change with the binary, not with a versioned name: revalidate every time (they are small and local).
        var headers = context.Response.Headers;
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        if (name == "index.html")
        {
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
        }

        return HttpResults.Stream(stream, type);
    }
}
