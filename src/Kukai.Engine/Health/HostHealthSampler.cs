namespace Kukai.Engine.Health;

/// <summary>
/// Samples process and machine CPU between calls (process from <see cref="Environment.CpuUsage"/>, machine
/// from <c>/proc/stat</c> on Linux). Not thread-safe: one sampler per reporter.
/// </summary>
public sealed class HostHealthSampler
{
    private readonly TimeProvider _time;
    private long _lastTicks;
    private TimeSpan _lastCpu;
    private (long Busy, long Total)? _lastMachine;

    public HostHealthSampler(TimeProvider time)
    {
        _time = time;
        _lastTicks = time.GetTimestamp();
        _lastCpu = ProcessCpu();
        _lastMachine = ReadMachine();
    }

    /// <summary>CPU use since the previous call (or construction).</summary>
    public HostHealth Sample()
    {
        var now = _time.GetTimestamp();
        var cpu = ProcessCpu();
        var machine = ReadMachine();
        var wall = _time.GetElapsedTime(_lastTicks, now).TotalSeconds;
        var process = wall > 0 ? (cpu - _lastCpu).TotalSeconds / (wall * Environment.ProcessorCount) * 100 : 0;
        var machinePercent = double.NaN;
        if (machine is { } m && _lastMachine is { } l && m.Total > l.Total)
        {
            machinePercent = (double)(m.Busy - l.Busy) / (m.Total - l.Total) * 100;
        }

        _lastTicks = now;
        _lastCpu = cpu;
        _lastMachine = machine;
        process = Math.Clamp(process, 0, 100);
        var saturated = process >= HostHealth.SaturationPercent || machinePercent >= HostHealth.SaturationPercent;
        return new HostHealth(Math.Round(process, 1), Math.Round(machinePercent, 1), saturated);
    }

    private static TimeSpan ProcessCpu() => Environment.CpuUsage.TotalTime;

    // First line of /proc/stat: "cpu user nice system idle iowait irq softirq steal ...", in clock ticks.
    private static (long Busy, long Total)? ReadMachine()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            using var reader = new StreamReader("/proc/stat");
            var line = reader.ReadLine();
            if (line is null || !line.StartsWith("cpu ", StringComparison.Ordinal))
            {
                return null;
            }

            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            long total = 0, idle = 0;
            for (var i = 1; i < parts.Length && i <= 8; i++)
            {
                var v = long.Parse(parts[i], System.Globalization.CultureInfo.InvariantCulture);
                total += v;
                if (i is 4 or 5)
                {
                    idle += v;
                }
            }

            return (total - idle, total);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            return null;
        }
    }
}
