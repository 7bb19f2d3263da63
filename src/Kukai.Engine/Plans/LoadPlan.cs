using System.Collections.Immutable;

namespace Kukai.Engine.Plans;

/// <summary>
/// A test plan (SPEC §2): what one driver does. Values are per driver; an orchestrated test gives every driver the
/// same plan and a driver index, and each driver derives its own schedule. Immutable; see <see cref="LoadPlanValidator"/>.
/// </summary>
/// <remarks>
/// List properties are never <c>default</c>: assigning a default <see cref="ImmutableArray{T}"/> stores an empty one,
/// so readers need no null checks. Equality is by value, lists compared item by item (an
/// <see cref="ImmutableArray{T}"/> alone compares by reference).
/// </remarks>
public sealed record LoadPlan
{
    private readonly ImmutableArray<TargetPlan> _targets = [];
    private readonly ImmutableArray<KeyValuePair<string, string>> _headers = [];
    private readonly ImmutableArray<StagePlan> _stages = [];
    private readonly ImmutableArray<string> _thresholds = [];

    public const int DefaultTimeoutMs = 10_000;
    public const int DefaultTsunamiConcurrency = 10_000;
    public const int DefaultAvalancheConcurrency = 10;
    public const int DefaultTsunamiConnections = 64;

    public TestType Type { get; init; } = TestType.Avalanche;

    /// <summary>Tsunami: gap between request starts on each driver, in milliseconds (fractions allowed).</summary>
    public double? DelayMs { get; init; }

    /// <summary>Per driver. Tsunami: the same as <c>DelayMs = 1000 / Rps</c>. Avalanche: a ceiling.</summary>
    public double? Rps { get; init; }

    /// <summary>Avalanche: requests in flight per driver. Tsunami: upper bound on requests in flight or waiting to be sent.</summary>
    public int? Concurrency { get; init; }

    /// <summary>Tsunami: most requests a driver has on the wire at once (lanes, opened on demand; a lane keeps one connection per target it uses).</summary>
    public int? Connections { get; init; }

    /// <summary>Total requests per driver.</summary>
    public long? Requests { get; init; }

    /// <summary>When it elapses no new request starts; requests in flight finish.</summary>
    public double? DurationSeconds { get; init; }

    public int TimeoutMs { get; init; } = DefaultTimeoutMs;

    public ImmutableArray<TargetPlan> Targets { get => _targets; init => _targets = NotDefault(value); }

    /// <summary>Raw TCP: the bytes to send. HTTP: the request body. Text; encoded as UTF-8 on the wire.</summary>
    public string? Payload { get; init; }

    public string Method { get; init; } = "GET";

    /// <summary>HTTP version: "1.1" (default; our own client for http://) or "2" (SocketsHttpHandler; h2c for http://).</summary>
    public string HttpVersion { get; init; } = "1.1";

    /// <summary>https: accept any server certificate (self-signed test servers).</summary>
    public bool Insecure { get; init; }

    public ImmutableArray<KeyValuePair<string, string>> Headers { get => _headers; init => _headers = NotDefault(value); }

    /// <summary>Orchestrated: how many idle drivers take part; null means all idle ones.</summary>
    public int? Drivers { get; init; }

    public ImmutableArray<StagePlan> Stages { get => _stages; init => _stages = NotDefault(value); }

    public ImmutableArray<string> Thresholds { get => _thresholds; init => _thresholds = NotDefault(value); }

    /// <summary>Fraction of requests recorded as rows in <c>requests.arrow</c>: 1 (all, the default) to 0 (none).</summary>
    public double RecordRequests { get; init; } = 1.0;

    /// <summary>Raw TCP: reuse the connection between requests.</summary>
    public bool KeepAlive { get; init; } = true;

    /// <summary>Raw TCP: a request completes after this many reply bytes.</summary>
    public int? ResponseBytes { get; init; }

    /// <summary>Raw TCP: a request completes when the reply contains this text.</summary>
    public string? ResponseDelimiter { get; init; }

    /// <summary>Standalone mode: where to write the per-request Arrow file (the seed's <c>arrow_output</c>).</summary>
    public string? ArrowOutput { get; init; }

    public bool Equals(LoadPlan? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (Type == other.Type
                && Same(DelayMs, other.DelayMs)
                && Same(Rps, other.Rps)
                && Concurrency == other.Concurrency
                && Connections == other.Connections
                && Requests == other.Requests
                && Same(DurationSeconds, other.DurationSeconds)
                && TimeoutMs == other.TimeoutMs
                && Targets.SequenceEqual(other.Targets)
                && Payload == other.Payload
                && Method == other.Method
                && HttpVersion == other.HttpVersion
                && Insecure == other.Insecure
                && Headers.SequenceEqual(other.Headers)
                && Drivers == other.Drivers
                && Stages.SequenceEqual(other.Stages)
                && Thresholds.SequenceEqual(other.Thresholds)
                && Same(RecordRequests, other.RecordRequests)
                && KeepAlive == other.KeepAlive
                && ResponseBytes == other.ResponseBytes
                && ResponseDelimiter == other.ResponseDelimiter
                && ArrowOutput == other.ArrowOutput));

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Type);
        hash.Add(DelayMs);
        hash.Add(Rps);
        hash.Add(Concurrency);
        hash.Add(Requests);
        hash.Add(DurationSeconds);
        hash.Add(TimeoutMs);
        hash.Add(Payload);
        hash.Add(Method);
        foreach (var target in Targets)
        {
            hash.Add(target);
        }

        foreach (var stage in Stages)
        {
            hash.Add(stage);
        }

        foreach (var threshold in Thresholds)
        {
            hash.Add(threshold);
        }

        foreach (var header in Headers)
        {
            hash.Add(header);
        }

        return hash.ToHashCode();
    }

    private static ImmutableArray<T> NotDefault<T>(ImmutableArray<T> value) => value.IsDefault ? [] : value;

    // Like the compiler's record equality: NaN equals NaN.
    private static bool Same<T>(T a, T b) => EqualityComparer<T>.Default.Equals(a, b);
}
