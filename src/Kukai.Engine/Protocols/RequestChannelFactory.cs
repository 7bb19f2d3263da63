using System.Buffers;
using Kukai.Engine.Plans;

namespace Kukai.Engine.Protocols;

/// <summary>
/// Picks and configures the channel kind for a target:
/// <list type="bullet">
/// <item>raw TCP (<c>addr</c>/<c>port</c>): <c>TcpChannel</c>;</item>
/// <item>HTTP version "1.1", <c>http://</c> or <c>https://</c>: <c>Http1Channel</c>, our own lean client, which
/// sends each request exactly once (<see cref="RequestTemplate.Insecure"/> accepts any certificate);</item>
/// <item>HTTP version "2": <c>HttpClientChannel</c> over one <c>SocketsHttpHandler</c> per factory (h2c prior
/// knowledge for <c>http://</c>). It sends a request again only when the server says it did not process it
/// (REFUSED_STREAM, or a GOAWAY below the stream).</item>
/// </list>
/// </summary>
public static class RequestChannelFactory
{
    /// <summary>Longest raw-TCP <c>response_delimiter</c>, in bytes.</summary>
    public const int MaxResponseDelimiterBytes = 4096;

    private static readonly SearchValues<char> TokenChars =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    /// <summary>Validates the target and template and makes the target's channel factory.</summary>
    /// <exception cref="ArgumentException">The configuration is unusable; the message names every problem (field,
    /// value, what is allowed).</exception>
    public static IRequestChannelFactory Create(TargetPlan target, RequestTemplate template)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(template);
        var errors = new List<string>();
        if (target.IsTcp)
        {
            ValidateTcp(target, template, errors);
            ThrowIfAny(errors);
            return new TcpChannelFactory(target.Addr!, target.Port!.Value, template);
        }

        var url = ValidateHttp(target, template, errors);
        ThrowIfAny(errors);
        return template.HttpVersion == "1.1"
            ? new Http1ChannelFactory(url!, template)
            : new HttpClientChannelFactory(url!, template);
    }

    private static void ValidateTcp(TargetPlan target, RequestTemplate template, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(target.Addr))
        {
            errors.Add("targets.addr: a raw-TCP target needs an address");
        }

        if (target.Port is not (>= 1 and <= 65535))
        {
            errors.Add($"targets.port: '{target.Port}' is not a port (1..65535)");
        }

        if (template.ResponseBytes is < 1)
        {
            errors.Add($"response_bytes: '{template.ResponseBytes}' must be at least 1");
        }

        if (template.ResponseDelimiter.Length > MaxResponseDelimiterBytes)
        {
            errors.Add($"response_delimiter: {template.ResponseDelimiter.Length} bytes is longer than {MaxResponseDelimiterBytes}");
        }

        if (template.ResponseBytes is not null && !template.ResponseDelimiter.IsEmpty)
        {
            errors.Add("response_bytes, response_delimiter: set one of them, not both");
        }
    }

    private static Uri? ValidateHttp(TargetPlan target, RequestTemplate template, List<string> errors)
    {
        Uri? url = null;
        if (target.Addr is not null || target.Port is not null)
        {
            errors.Add($"targets: '{target.Key}' has both a url and addr/port; an HTTP target has only a url");
        }

        if (!Uri.TryCreate(target.Url, UriKind.Absolute, out var parsed)
            || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(parsed.IdnHost))
        {
            errors.Add($"targets.url: '{target.Key}' is not an absolute http:// or https:// url");
        }
        else if (parsed.UserInfo.Length > 0)
        {
            errors.Add($"targets.url: '{target.Key}' has credentials; send an Authorization header instead");
        }
        else
        {
            url = parsed;
        }

        if (template.HttpVersion is not ("1.1" or "2"))
        {
            errors.Add($"http_version: '{template.HttpVersion}' is not supported (\"1.1\" or \"2\")");
        }

        if (string.IsNullOrEmpty(template.Method) || template.Method.AsSpan().ContainsAnyExcept(TokenChars))
        {
            errors.Add($"method: '{template.Method}' is not an HTTP method token");
        }

        foreach (var (name, value) in template.Headers)
        {
            if (string.IsNullOrEmpty(name) || name.AsSpan().ContainsAnyExcept(TokenChars))
            {
                errors.Add($"headers: '{name}' is not a header name");
            }
            else if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"headers: '{name}' is set from the body; remove it");
            }

            if (value is null || value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
            {
                errors.Add($"headers: the value of '{name}' contains a line break or NUL");
            }
        }

        return url;
    }

    private static void ThrowIfAny(List<string> errors)
    {
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors));
        }
    }
}
