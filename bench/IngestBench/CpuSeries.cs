using System.Globalization;

namespace Kukai.Bench.Ingest;

/// <summary>Per-second CPU use (percent of one core) of something sampled at each second boundary.</summary>
internal sealed class CpuSeries
{
    private readonly List<double> _percent = [];
    private double _lastCpu = double.NaN;
    private long _lastTicks;

    /// <summary>Per-second values, in order.</summary>
    public IReadOnlyList<double> Percent => _percent;

    /// <summary>Notes the CPU seconds read now; from the second call on, adds the percentage since the previous.</summary>
    public void Sample(double cpuSeconds, long timestamp)
    {
        if (!double.IsNaN(_lastCpu))
        {
            var wall = System.Diagnostics.Stopwatch.GetElapsedTime(_lastTicks, timestamp).TotalSeconds;
            _percent.Add(wall > 0 ? 100 * (cpuSeconds - _lastCpu) / wall : double.NaN);
        }

        _lastCpu = cpuSeconds;
        _lastTicks = timestamp;
    }

    public double Mean(int skip) => Values(skip).DefaultIfEmpty(double.NaN).Average();

    public double Max(int skip) => Values(skip).DefaultIfEmpty(double.NaN).Max();

    public double Median(int skip)
    {
        var v = Values(skip).Order().ToArray();
        return v.Length == 0 ? double.NaN : v.Length % 2 == 1 ? v[v.Length / 2] : (v[(v.Length / 2) - 1] + v[v.Length / 2]) / 2;
    }

    public static string Format(double value) => double.IsNaN(value) ? "nan" : value.ToString("F1", CultureInfo.InvariantCulture);

    private IEnumerable<double> Values(int skip) => _percent.Skip(skip).Where(v => !double.IsNaN(v));
}
