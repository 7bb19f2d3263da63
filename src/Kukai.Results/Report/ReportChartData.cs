using Kukai.Engine.Metrics;

namespace Kukai.Results.Report;

/// <summary>
/// What the report's charts draw, serialised as the page's JSON blob. Time series are columns aligned on
/// <see cref="X"/> (seconds since the start, one point per <see cref="Bucket"/> seconds); <c>null</c> marks a gap.
/// </summary>
/// <remarks>
/// A test longer than <see cref="ReportChartBuilder.MaxTimePoints"/> seconds is drawn in buckets of several seconds, so the
/// page stays small: counts become the bucket's average per second, latency percentiles the worst second of the
/// bucket (percentiles cannot be averaged).
/// </remarks>
internal sealed class ReportChartData
{
    public int Bucket { get; init; } = 1;

    public required long[] X { get; init; }

    public required double?[] Sent { get; init; }

    public required double?[] Completed { get; init; }

    public required double?[] Errors { get; init; }

    public required double?[] Late { get; init; }

    /// <summary>Of <see cref="Late"/>, those late because every connection was busy.</summary>
    public required double?[] LateConnectionsBusy { get; init; }

    public required double?[] Dropped { get; init; }

    public required double?[] P50 { get; init; }

    public required double?[] P90 { get; init; }

    public required double?[] P99 { get; init; }

    public required double?[] Max { get; init; }

    /// <summary>Saturated ranges <c>[from, to)</c> in seconds since the start.</summary>
    public required double[][] Saturated { get; init; }

    /// <summary>Completed requests per second of each driver (only when there are several).</summary>
    public required DriverSeries[] Drivers { get; init; }

    /// <summary>Drivers lost during the test and when (seconds since the start).</summary>
    public required LostMarker[] Lost { get; init; }

    /// <summary>The percentile distribution; null when there is none.</summary>
    public CurveData? Curve { get; init; }

    public required ErrorCount[] ErrorKinds { get; init; }

    public long Requests { get; init; }

    internal sealed record DriverSeries(string Id, double?[] Completed);

    internal sealed record LostMarker(string Id, double At);

    /// <summary>Percentiles as fractions (<c>P</c>), values in ms (<c>V</c>), total counts (<c>N</c>), and the maximum.</summary>
    internal sealed record CurveData(double[] P, double[] V, long[] N, double MaxMs);

    internal sealed record ErrorCount(string Kind, long Count);
}
