using System.Text.Json;
using System.Text.Unicode;
using Kukai.Cluster.Messages;
using Kukai.Engine.Plans;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Kukai.Orchestrator.Api;

/// <summary>
/// Reads a plan from a request body (JSON, camelCase, SPEC §2): malformed JSON and every invalid field become one
/// 400 problem-details response naming all the bad fields at once; a body over
/// <see cref="OrchestratorServerOptions.MaxBodyBytes"/>, declared or read, throws a 413
/// <see cref="BadHttpRequestException"/>, after the rest of it has been read and dropped when the client is sending it.
/// </summary>
internal static class PlanBody
{
    /// <summary>Keys of TOML-only settings the API does not take.</summary>
    private static readonly string[] NotForTheApi = ["arrow_output"];

    // Kestrel counts a chunked body's size only roughly (it rejects some bodies a little under its limit): its limit is
    // set this much above the most a plan's body is read (MaxDiscardBytes), and the exact one is applied while reading.
    private const long KestrelSlack = 64 * 1024;

    // A body refused as too large is still read and dropped, up to this much and for this long, so that a client still
    // sending it reads the 413 instead of a connection reset: closing a socket with unread data resets it, and the
    // client's pending write then fails before it reads the answer. nginx's lingering close does the same.
    private const long MaxDiscardBytes = 8 * 1024 * 1024;
    private static readonly TimeSpan MaxDiscardTime = TimeSpan.FromSeconds(5);

    public static async Task<(LoadPlan? Plan, IResult? Problem)> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        var body = await ReadBodyAsync(request, ct).ConfigureAwait(false);
        if (body.Span.StartsWith("\uFEFF"u8))
        {
            body = body[3..]; // a byte order mark: RFC 8259 lets a parser ignore it
        }

        // JSON is UTF-8 (RFC 8259). Checked first: the parser does not look inside strings, and reading one later fails.
        if (!Utf8.IsValid(body.Span))
        {
            return (null, Malformed("the body is not valid UTF-8"));
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException ex)
        {
            return (null, Malformed($"the body is not valid JSON: {ex.Message}"));
        }

        using (doc)
        {
            if (UndecodableText(doc.RootElement, "plan") is { } where)
            {
                return (null, Malformed($"{where} holds an escape that is not valid Unicode (an unpaired surrogate)"));
            }

            var result = PlanReader.Read(new JsonPlanNode(doc.RootElement), PlanKeyStyle.CamelCase, excludedKeys: NotForTheApi);
            if (result.IsValid && ClusterMessageCodec.PlanBytes(result.Plan!) is var size && size > ClusterMessageCodec.MaxPlanBytes)
            {
                // It would pass here and fail when the start message is refused by Kafka, after a 201.
                var field = result.Plan!.Payload is { Length: > 0 } ? "payload" : "$";
                return (null, HttpResults.ValidationProblem(
                    new Dictionary<string, string[]> { [field] = [$"the plan takes {size} bytes in the drivers' start message; at most {ClusterMessageCodec.MaxPlanBytes} fit in one Kafka message"] },
                    title: "Invalid test plan",
                    detail: $"{field}: the plan takes {size} bytes in the drivers' start message; at most {ClusterMessageCodec.MaxPlanBytes} fit in one Kafka message"));
            }

            if (result.IsValid)
            {
                return (result.Plan, null);
            }

            var errors = result.Issues
                .GroupBy(i => i.Field.Length == 0 ? "$" : i.Field)
                .ToDictionary(g => g.Key, g => g.Select(i => i.Message).ToArray());
            return (null, HttpResults.ValidationProblem(
                errors,
                title: "Invalid test plan",
                detail: string.Join("; ", result.Issues.Select(i => i.ToString()))));
        }
    }

    private static IResult Malformed(string detail) =>
        HttpResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed JSON", detail: detail);

    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxDiscardBytes + KestrelSlack;
        }

        var chunk = new byte[16 * 1024];
        if (request.ContentLength > OrchestratorServerOptions.MaxBodyBytes)
        {
            // Refused unread. A client that asked "Expect: 100-continue" is not sending the body (it waits for the
            // answer and is never asked for it); one that did not is, and it is dropped first, up to MaxDiscardBytes.
            if (request.Headers.Expect.Count == 0 && request.ContentLength <= MaxDiscardBytes)
            {
                await DiscardRestAsync(request, 0, chunk, ct).ConfigureAwait(false);
            }

            throw new BadHttpRequestException("request body too large", StatusCodes.Status413PayloadTooLarge);
        }

        using var buffer = new MemoryStream();
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > OrchestratorServerOptions.MaxBodyBytes)
            {
                await DiscardRestAsync(request, buffer.Length + read, chunk, ct).ConfigureAwait(false);
                throw new BadHttpRequestException("request body too large", StatusCodes.Status413PayloadTooLarge);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    // Reads the rest of the body and drops it, until its end, MaxDiscardBytes in all, MaxDiscardTime, or a broken
    // connection, whichever comes first: the 413 goes out in every case.
    private static async Task DiscardRestAsync(HttpRequest request, long seen, byte[] chunk, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(MaxDiscardTime);
        try
        {
            int read;
            while (seen <= MaxDiscardBytes && (read = await request.Body.ReadAsync(chunk, deadline.Token).ConfigureAwait(false)) > 0)
            {
                seen += read;
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
        }
        catch (BadHttpRequestException)
        {
        }
        catch (IOException)
        {
        }
    }

    // The path of the first string or property name whose escapes do not decode (e.g. a lone "\ud800"), or null.
    private static string? UndecodableText(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return Decodes(element.GetString) ? null : path;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!Decodes(() => property.Name))
                    {
                        return $"a key of {path}";
                    }

                    if (UndecodableText(property.Value, $"{path}.{property.Name}") is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (UndecodableText(item, $"{path}[{i++}]") is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static bool Decodes(Func<string?> read)
    {
        try
        {
            _ = read();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
