using System.Net;
using Kukai.Cluster.Orchestration;
using Kukai.Orchestrator.Api;
using Kukai.Orchestrator.Auth;
using Kukai.Orchestrator.Dashboard;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Kukai.Orchestrator;

/// <summary>
/// The orchestrator's HTTP server on Kestrel: the REST API (SPEC §5), server-sent events, the seed's routes and the
/// dashboard, over an <see cref="OrchestratorRuntime"/>.
/// </summary>
public sealed class OrchestratorServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OrchestratorServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The bound base address, e.g. <c>http://127.0.0.1:5000/</c>.</summary>
    public Uri Address { get; }

    public static async Task<OrchestratorServer> StartAsync(OrchestratorServerOptions options, OrchestratorRuntime runtime, ILoggerFactory loggerFactory, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c => c.ProblemDetails.Detail ??= DefaultDetail(c.HttpContext));
        builder.WebHost.UseKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = OrchestratorServerOptions.MaxBodyBytes;
            k.Listen(options.Listen);
        });

        var app = builder.Build();

        // HEAD is GET without the body (RFC 9110 §9.3.2): every GET route answers it, with the same headers (a file's
        // length, its ranges). Routing runs after this, so the GET route is the one matched.
        app.Use(async (context, next) =>
        {
            if (!HttpMethods.IsHead(context.Request.Method))
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            context.Request.Method = HttpMethods.Get;
            var body = context.Response.Body;
            context.Response.Body = Stream.Null;
            try
            {
                await next(context).ConfigureAwait(false);
            }
            finally
            {
                context.Response.Body = body;
            }
        });
        app.UseRouting();

        // Bound to a loopback address, the server answers only to loopback host names: a web page whose name an
        // attacker re-points at 127.0.0.1 (DNS rebinding) would otherwise be same-origin with the API.
        if (IPAddress.IsLoopback(options.Listen.Address))
        {
            app.Use(async (context, next) =>
            {
                if (!IsLoopbackHost(context.Request.Host))
                {
                    await HttpResults.Problem(
                        statusCode: StatusCodes.Status400BadRequest,
                        title: "Unexpected host",
                        detail: $"this orchestrator listens on {options.Listen.Address} and answers to loopback host names only, not '{context.Request.Host}'")
                        .ExecuteAsync(context).ConfigureAwait(false);
                    return;
                }

                await next(context).ConfigureAwait(false);
            });
        }

        // Answers without a body (no such route, a method the route does not take) become problem details too.
        app.UseStatusCodePages();
        var auth = TokenAuthentication.Create(options.Token);
        app.Use(async (context, next) =>
        {
            if (auth is not null && TokenAuthentication.IsProtected(context.Request.Path) && !auth.IsAuthorized(context.Request))
            {
                context.Response.Headers.WWWAuthenticate = TokenAuthentication.Challenge;
                await HttpResults.Problem(
                    statusCode: StatusCodes.Status401Unauthorized,
                    title: "Unauthorized",
                    detail: "this orchestrator requires 'Authorization: Bearer <token>' (--token / KUKAI_TOKEN)").ExecuteAsync(context).ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });

        // Without a token, a request that changes something must come from the dashboard itself or from a client that
        // is not a browser (which sends no Origin): another web page could post a form here (cross-site request
        // forgery). With a token, the Authorization header already proves the request is not one.
        if (auth is null)
        {
            app.Use(async (context, next) =>
            {
                if (IsCrossSiteChange(context.Request))
                {
                    await HttpResults.Problem(
                        statusCode: StatusCodes.Status403Forbidden,
                        title: "Cross-site request",
                        detail: $"this orchestrator has no token and accepts changes only from its own pages and from non-browser clients, not from {context.Request.Headers.Origin}; start it with --token to use it from other pages")
                        .ExecuteAsync(context).ConfigureAwait(false);
                    return;
                }

                await next(context).ConfigureAwait(false);
            });
        }

        ApiEndpoints.Map(app, runtime, options.Version);
        DashboardEndpoints.Map(app);
        await app.StartAsync(ct).ConfigureAwait(false);

        // The bound port (0 resolves here); a wildcard bind is reachable locally at the loopback address.
        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var host = options.Listen.Address.Equals(IPAddress.Any) || options.Listen.Address.Equals(IPAddress.IPv6Any)
            ? "127.0.0.1"
            : bound.Host;
        return new OrchestratorServer(app, new UriBuilder("http", host, bound.Port).Uri);
    }

    public Task StopAsync() => _app.StopAsync();

    // A method that changes something, sent by a browser (it names the page's origin) from another origin.
    private static bool IsCrossSiteChange(HttpRequest request)
    {
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
            || request.Headers.Origin.Count == 0)
        {
            return false;
        }

        return !(Uri.TryCreate(request.Headers.Origin.ToString(), UriKind.Absolute, out var origin)
            && origin.Authority.Equals(request.Host.Value, StringComparison.OrdinalIgnoreCase));
    }

    // localhost, *.localhost (RFC 6761), this machine's name, or a loopback address.
    private static bool IsLoopbackHost(HostString host)
    {
        var name = host.Host;
        return name.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || name.Equals(Environment.MachineName, StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(name.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }

    // The detail of a problem the routes did not describe themselves. Names the path, never the query string.
    private static string DefaultDetail(HttpContext context) => context.Response.StatusCode switch
    {
        StatusCodes.Status404NotFound => $"nothing is served at {context.Request.Path}",
        StatusCodes.Status405MethodNotAllowed =>
            $"{context.Request.Method} is not allowed on {context.Request.Path} (allowed: {context.Response.Headers.Allow})",
        var status => ReasonPhrases.GetReasonPhrase(status),
    };

    public async ValueTask DisposeAsync() => await _app.DisposeAsync().ConfigureAwait(false);
}
