using System.Globalization;
using System.Text;
using System.Text.Json;
using Kukai.Cluster.Orchestration;
using Kukai.Engine.Plans;
using Kukai.Results;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Kukai.Orchestrator.Api;

/// <summary>The REST API of SPEC §5 and the seed's <c>/start-test</c> and <c>/report-stats</c>.</summary>
internal static class ApiEndpoints
{
    private static readonly TimeSpan EventPeriod = TimeSpan.FromSeconds(1);

    /// <summary>How many of the latest seconds each event carries.</summary>
    private const int EventSeriesSeconds = 600;

    /// <summary>Above this many drivers, events carry totals only (no per-driver rows), as in report.html.</summary>
    private const int MaxDriverLines = Kukai.Results.Report.HtmlReport.MaxDriverLines;

    public static void Map(WebApplication app, OrchestratorRuntime runtime, string version)
    {
        app.MapGet("/api/health", () =>
        {
            var drivers = runtime.Drivers();
            var kafka = runtime.TransportStatus;
            return Json(new
            {
                status = kafka.Connected ? "ok" : "degraded",
                kafka = new { connected = kafka.Connected, bootstrap = runtime.KafkaBootstrap, detail = kafka.Detail, lastError = kafka.LastError },
                orchestratorId = runtime.OrchestratorId,
                version,
                startedAt = runtime.StartedAt,
                drivers = new
                {
                    total = drivers.Count,
                    idle = drivers.Count(d => d.State == "idle"),
                    running = drivers.Count(d => d.State == "running"),
                    lost = drivers.Count(d => d.State == "lost"),
                },
            });
        });

        app.MapGet("/api/drivers", () => Json(runtime.Drivers()));

        app.MapPost("/api/tests", (HttpRequest request, CancellationToken ct) => StartTestAsync(runtime, request, ct));
        app.MapPost("/start-test", (HttpRequest request, CancellationToken ct) => StartTestAsync(runtime, request, ct));

        app.MapGet("/api/tests", () => Json(runtime.Tests()));

        app.MapGet("/api/tests/{id}", (string id, HttpRequest request) =>
        {
            if (!TryPercentiles(request, out var percentiles, out var problem))
            {
                return problem!;
            }

            return runtime.Test(id, percentiles) is { } test ? WithPercentiles(test, percentiles) : NotFound(id);
        });

        app.MapGet("/report-stats", (HttpRequest request) =>
        {
            if (!TryPercentiles(request, out var percentiles, out var problem))
            {
                return problem!;
            }

            var current = runtime.CurrentOrLastTest();
            if (current is null)
            {
                return HttpResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No test yet", detail: "no test has run on this orchestrator");
            }

            return percentiles is null ? Json(current) : runtime.Test(current.Id, percentiles) is { } test ? WithPercentiles(test, percentiles) : NotFound(current.Id);
        });

        app.MapGet("/api/tests/{id}/timeseries", (string id) =>
            runtime.Timeseries(id) is { } series ? Json(new { rows = series.Rows, seconds = series.Seconds }) : NotFound(id));

        app.MapPost("/api/tests/{id}/stop", async (string id) => await runtime.StopTestAsync(id).ConfigureAwait(false) switch
        {
            null => NotFound(id),
            { Ended: true, View: var ended } => HttpResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Test already ended",
                detail: $"test {id} is {ended.State}: there is nothing to stop"),
            { View: var test } => HttpResults.Json(test, ApiJson.Options, statusCode: StatusCodes.Status202Accepted),
        });

        app.MapGet("/api/tests/{id}/files/{name}", (string id, string name) =>
        {
            if (!ResultsFolder.FileNames.Contains(name))
            {
                return HttpResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such file", detail: $"'{name}' is not a results file: {string.Join(", ", ResultsFolder.FileNames)}");
            }

            if (!runtime.Exists(id))
            {
                return NotFound(id);
            }

            var path = runtime.Results.Folder(id).FilePath(name);
            if (!File.Exists(path))
            {
                return HttpResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "File not written", detail: $"test {id} has no {name} (yet)");
            }

            var type = Path.GetExtension(name) switch
            {
                ".json" => "application/json",
                ".csv" => "text/csv",
                ".html" => "text/html",
                ".arrow" => "application/vnd.apache.arrow.file",
                _ => "text/plain",
            };
            // The report opens in the browser (the dashboard links it in a new tab); the data files download, named
            // after their test so that several tests' files do not collide in a downloads folder.
            return HttpResults.File(path, type, name == ResultsFolder.ReportFile ? null : $"{id}-{name}", enableRangeProcessing: true);
        });

        app.MapPut("/api/tests/{id}/drivers/{driverId}/requests.arrow", async (string id, string driverId, HttpContext context) =>
        {
            // Per-request rows can be large: this route alone is exempt from the 1 MiB body limit.
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = null;
            }

            return await runtime.AcceptUploadAsync(id, driverId, context.Request.Body, context.RequestAborted).ConfigureAwait(false) switch
            {
                UploadOutcome.Accepted => HttpResults.NoContent(),
                UploadOutcome.NotFound => NotFound(id),
                UploadOutcome.Invalid => HttpResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not a requests.arrow file", detail: "the body is not an Arrow IPC file with the schema of SPEC §4"),
                _ => HttpResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Upload not expected", detail: $"test {id} does not expect rows from driver {driverId} (ended, not a driver of the test, or already uploaded)"),
            };
        });

        app.MapGet("/api/events", (HttpContext context) => StreamEventsAsync(runtime, context, app.Lifetime.ApplicationStopping));
    }

    private static async Task<IResult> StartTestAsync(OrchestratorRuntime runtime, HttpRequest request, CancellationToken ct)
    {
        // Plans are JSON. Insisting on it also keeps other web pages out: a browser sends a cross-site POST with a JSON
        // content type only after a CORS preflight, which this API never grants (a form or text/plain POST needs none).
        if (!request.HasJsonContentType())
        {
            return HttpResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Plans are JSON",
                detail: $"send the plan with 'Content-Type: application/json', not '{request.ContentType ?? "(none)"}'");
        }

        // JSON is UTF-8: a body declared in another charset would be read as what it is not.
        if (Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            && type.Charset.HasValue && !type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !type.Charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            return HttpResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Plans are UTF-8 JSON",
                detail: $"send the plan as UTF-8 ('Content-Type: application/json'), not charset '{type.Charset}'");
        }

        (Kukai.Engine.Plans.LoadPlan? Plan, IResult? Problem) body;
        try
        {
            body = await PlanBody.ReadAsync(request, ct).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge();
        }

        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var outcome = await runtime.StartTestAsync(body.Plan!, ct).ConfigureAwait(false);
        if (outcome.Test is not { } test)
        {
            return HttpResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Cannot start the test", detail: outcome.Conflict);
        }

        request.HttpContext.Response.Headers.Location = $"/api/tests/{test.Id}";
        return HttpResults.Json(new { id = test.Id, state = test.State, startAt = test.StartAt, drivers = test.Drivers }, ApiJson.Options, statusCode: StatusCodes.Status201Created);
    }

    // Until the client goes away or the orchestrator stops (an open stream would otherwise hold the shutdown for
    // Kestrel's whole grace period).
    private static async Task StreamEventsAsync(OrchestratorRuntime runtime, HttpContext context, CancellationToken stopping)
    {
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var ct = linked.Token;
        using var timer = new PeriodicTimer(EventPeriod);
        try
        {
            do
            {
                var test = runtime.CurrentOrLastTest();

                // Per-driver lines while a test runs, for as many drivers as a chart can show.
                var lines = test?.State is "starting" or "running" && test.Drivers.Count <= MaxDriverLines;
                var series = test is null ? null : runtime.Timeseries(test.Id, lastSeconds: EventSeriesSeconds, includeRows: lines);
                var update = new
                {
                    time = DateTimeOffset.UtcNow,
                    drivers = runtime.Drivers(),
                    test,
                    seconds = series?.Seconds,
                    rows = lines ? series?.Rows : null,
                    kafka = runtime.TransportStatus,
                };
                var json = JsonSerializer.Serialize(update, ApiJson.Options);
                await context.Response.WriteAsync($"event: update\ndata: {json}\n\n", Encoding.UTF8, ct).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(ct).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // The client went away, or the orchestrator is stopping.
        }
    }

    // A test view answering ?percentiles=, or a 409 problem when the test kept no histograms to read them from.
    private static IResult WithPercentiles(TestView test, IReadOnlyList<double>? percentiles) =>
        percentiles is { Count: > 0 } && test.Stats.Aggregate.LatencyMs.Percentiles is null
            ? HttpResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Percentiles unavailable",
                detail: $"percentiles: test {test.Id} kept no readable histograms ({ResultsFolder.HistogramsFile} is missing or damaged; " +
                    "tests before it existed have none), so only its standard percentiles are known: see its stats without ?percentiles")
            : Json(test);

    private static bool TryPercentiles(HttpRequest request, out IReadOnlyList<double>? percentiles, out IResult? problem)
    {
        percentiles = null;
        problem = null;
        if (!request.Query.TryGetValue("percentiles", out var raw) || string.IsNullOrWhiteSpace(raw))
        {
            return true;
        }

        var list = new List<double>();
        foreach (var part in raw.ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) || p is < 0 or > 100 || double.IsNaN(p))
            {
                var why = $"'{part}' is not a percentile between 0 and 100";
                problem = HttpResults.ValidationProblem(
                    new Dictionary<string, string[]> { ["percentiles"] = [why] },
                    title: "Invalid query",
                    detail: $"percentiles: {why}");
                return false;
            }

            list.Add(p);
        }

        percentiles = list;
        return true;
    }

    private static IResult Json(object? value) => HttpResults.Json(value, ApiJson.Options);

    // 404 for an id that could name a test; 400 for one that cannot (echoed cut short: a 5 000-character id came back whole).
    private static IResult NotFound(string id) => Identifiers.IsValid(id)
        ? HttpResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such test", detail: $"there is no test '{id}'")
        : HttpResults.Problem(
            statusCode: StatusCodes.Status400BadRequest,
            title: "Malformed test id",
            detail: $"id: '{PlanText.Printable(id.Length <= 64 ? id : id[..64] + "…")}' is not a test id (1 to 64 letters, digits, '.', '_' or '-', not starting with '.' or '-')");

    private static IResult TooLarge() =>
        HttpResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Body too large", detail: $"request bodies are limited to {OrchestratorServerOptions.MaxBodyBytes} bytes");
}
