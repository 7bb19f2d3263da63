namespace Kukai.Results.Report;

/// <summary>One line of a percentile distribution (<c>latency.hgrm</c>).</summary>
/// <param name="ValueMs">The latency at this percentile, in milliseconds.</param>
/// <param name="Percentile">The percentile as a fraction, 0..1 (the file's <c>Percentile</c> column: 0.99 is p99).</param>
/// <param name="TotalCount">Requests with a latency up to <paramref name="ValueMs"/>.</param>
public sealed record HgrmPoint(double ValueMs, double Percentile, long TotalCount);
