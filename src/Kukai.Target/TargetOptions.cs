using System.Globalization;
using System.Net;

namespace Kukai.Target;

/// <summary>
/// What <c>kukai target</c> serves and how. Immutable; <see cref="Validate"/> reads it and reports every
/// problem at once, each naming the command-line flag (or property), the value and the rule.
/// </summary>
public sealed record TargetOptions
{
    /// <summary>HTTP listener (<c>--listen</c>). Default 127.0.0.1:8080; port 0 picks a free port.</summary>
    public IPEndPoint HttpEndPoint { get; init; } = new(IPAddress.Loopback, 8080);

    /// <summary>Raw-TCP echo listener (<c>--tcp-port</c>); null (default) means none. Port 0 picks a free port.</summary>
    public IPEndPoint? TcpEndPoint { get; init; }

    /// <summary>
    /// Length of each freeze in milliseconds (<c>--stall-ms</c>); 0 (default) never freezes.
    /// Needs <see cref="StallEveryMs"/> and must be shorter than it.
    /// </summary>
    public int StallMs { get; init; }

    /// <summary>
    /// Period of the freezes in milliseconds (<c>--stall-every-ms</c>); 0 (default) never freezes.
    /// Freeze k covers [k·N + (N − M), (k + 1)·N) measured from server start, so a freshly started
    /// server answers for N − M ms before its first freeze, and every freeze ends on a period boundary.
    /// </summary>
    public int StallEveryMs { get; init; }

    /// <summary>
    /// How long <see cref="TargetServer.StopAsync"/> lets open HTTP connections finish before aborting
    /// them (measured on the server's <see cref="TimeProvider"/>). Default 2 s.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Every problem with these options, one line each; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (HttpEndPoint is null)
        {
            errors.Add("--listen: must be set to HOST:PORT");
        }

        if (StallMs < 0)
        {
            errors.Add(Invariant($"--stall-ms {StallMs}: must be 0 (never stall) or a positive number of milliseconds"));
        }

        if (StallEveryMs < 0)
        {
            errors.Add(Invariant($"--stall-every-ms {StallEveryMs}: must be 0 (never stall) or a positive number of milliseconds"));
        }

        if (StallMs > 0 && StallEveryMs == 0)
        {
            errors.Add(Invariant($"--stall-ms {StallMs}: needs --stall-every-ms (the period of the freezes) as well"));
        }

        if (StallEveryMs > 0 && StallMs == 0)
        {
            errors.Add(Invariant($"--stall-every-ms {StallEveryMs}: needs --stall-ms (the length of each freeze) as well"));
        }

        if (StallMs > 0 && StallEveryMs > 0 && StallMs >= StallEveryMs)
        {
            errors.Add(Invariant($"--stall-ms {StallMs}: must be less than --stall-every-ms ({StallEveryMs}), or the server would never answer"));
        }

        if (TcpEndPoint is not null && HttpEndPoint is not null && TcpEndPoint.Port != 0
            && TcpEndPoint.Port == HttpEndPoint.Port && AddressesOverlap(TcpEndPoint.Address, HttpEndPoint.Address))
        {
            errors.Add(Invariant($"--tcp-port {TcpEndPoint.Port}: must differ from the HTTP port of --listen ({HttpEndPoint})"));
        }

        if (ShutdownTimeout < TimeSpan.Zero)
        {
            errors.Add(Invariant($"ShutdownTimeout {ShutdownTimeout}: must not be negative"));
        }

        return errors;
    }

    private static bool AddressesOverlap(IPAddress a, IPAddress b) =>
        a.Equals(b) || IsWildcard(a) || IsWildcard(b);

    private static bool IsWildcard(IPAddress address) =>
        address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
