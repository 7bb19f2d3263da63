using System.Text;

namespace Kukai.Engine.Protocols;

/// <summary>
/// The HTTP/1.1 bytes of a plan's request, encoded once per target: request line (path and query), <c>Host</c>
/// (from the url unless the template has one), the template's headers in order, <c>Content-Length</c> when there is
/// a body or the method is POST, PUT or PATCH, then the body. Header text is UTF-8.
/// </summary>
internal static class Http1RequestEncoder
{
    public static byte[] Encode(Uri url, RequestTemplate template)
    {
        var head = new StringBuilder(256);
        head.Append(template.Method).Append(' ').Append(url.PathAndQuery).Append(" HTTP/1.1\r\n");
        if (!HasHeader(template, "Host"))
        {
            head.Append("Host: ").Append(HostHeader(url)).Append("\r\n");
        }

        foreach (var (name, value) in template.Headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        if (!template.Body.IsEmpty || NeedsContentLength(template.Method))
        {
            head.Append("Content-Length: ").Append(template.Body.Length).Append("\r\n");
        }

        head.Append("\r\n");
        int headLength = Encoding.UTF8.GetByteCount(head.ToString());
        var bytes = new byte[headLength + template.Body.Length];
        Encoding.UTF8.GetBytes(head.ToString(), bytes);
        template.Body.Span.CopyTo(bytes.AsSpan(headLength));
        return bytes;
    }

    /// <summary>The Host field value of <paramref name="url"/>: host, and the port unless it is the scheme's default.</summary>
    public static string HostHeader(Uri url) => url.GetComponents(UriComponents.Host | UriComponents.Port, UriFormat.UriEscaped);

    public static bool HasHeader(RequestTemplate template, string name)
    {
        foreach (var header in template.Headers)
        {
            if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool NeedsContentLength(string method) => method is "POST" or "PUT" or "PATCH";
}
