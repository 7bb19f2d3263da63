namespace Kukai.Engine.Plans;

/// <summary>
/// One target of a plan: an HTTP <see cref="Url"/>, or a raw-TCP <see cref="Addr"/> and <see cref="Port"/>.
/// Requests pick a target at random in proportion to <see cref="Weight"/>.
/// </summary>
public sealed record TargetPlan
{
    public string? Url { get; init; }

    public string? Addr { get; init; }

    public int? Port { get; init; }

    public double Weight { get; init; } = 1.0;

    /// <summary>True for a raw-TCP target (<c>addr</c>/<c>port</c>), false for an HTTP <c>url</c>.</summary>
    public bool IsTcp => Url is null;

    /// <summary>The name results use for this target: the url (secret query values masked, <see cref="PlanRedaction"/>), or <c>addr:port</c>.</summary>
    // addr:port, with an IPv6 address in brackets ([::1]:9090) so the port cannot be read as part of it.
    public string Key => Url is { } url ? PlanRedaction.RedactUrl(url) : Addr is { } a && a.Contains(':', StringComparison.Ordinal) && !a.StartsWith('[') ? $"[{a}]:{Port}" : $"{Addr}:{Port}";
}
