namespace Kukai.Bench.Ingest;

/// <summary>
/// CPU time (user + system) of a process or of the calling thread, from <c>/proc</c> (Linux; 10 ms resolution).
/// </summary>
internal static class CpuClock
{
    private static readonly double TicksPerSecond = 100; // USER_HZ is 100 on Linux

    /// <summary>CPU seconds of process <paramref name="pid"/>; NaN when it is gone.</summary>
    public static double OfProcess(int pid) => Read($"/proc/{pid}/stat");

    /// <summary>CPU seconds of this process.</summary>
    public static double OfThisProcess() => Read("/proc/self/stat");

    /// <summary>CPU seconds of the calling thread (read on that thread).</summary>
    public static double OfCurrentThread() => Read("/proc/thread-self/stat");

    private static double Read(string path)
    {
        string stat;
        try
        {
            stat = File.ReadAllText(path);
        }
        catch (IOException)
        {
            return double.NaN;
        }
        catch (UnauthorizedAccessException)
        {
            return double.NaN;
        }

        // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
        var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(rest[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(rest[12], System.Globalization.CultureInfo.InvariantCulture)) / TicksPerSecond;
    }
}
