using System.Globalization;
using System.Net;

namespace Kukai.Cli.Options;

/// <summary>A <c>HOST:PORT</c> flag value (IPv6 as <c>[::1]:8080</c>).</summary>
public sealed record HostPort(string Host, int Port)
{
    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    /// <summary>Parses <c>HOST:PORT</c>; <paramref name="error"/> says why not.</summary>
    public static bool TryParse(string text, bool allowPortZero, out HostPort? value, out string? error)
    {
        value = null;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            error = "must be HOST:PORT, e.g. 127.0.0.1:8080";
            return false;
        }

        var host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        if (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535 || (port == 0 && !allowPortZero))
        {
            error = allowPortZero ? "has a bad port: must be 0 to 65535" : "has a bad port: must be 1 to 65535";
            return false;
        }

        if (Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            error = $"has a bad host '{host}'";
            return false;
        }

        value = new HostPort(host, port);
        error = null;
        return true;
    }

    /// <summary>The endpoint to bind: an IP address, or <c>localhost</c> as 127.0.0.1.</summary>
    public IPEndPoint ToBindEndPoint()
    {
        if (Host is "localhost")
        {
            return new IPEndPoint(IPAddress.Loopback, Port);
        }

        if (IPAddress.TryParse(Host, out var ip))
        {
            return new IPEndPoint(ip, Port);
        }

        throw new UsageException($"--listen: {this} must name an IP address to bind (e.g. 127.0.0.1 or 0.0.0.0)");
    }
}
