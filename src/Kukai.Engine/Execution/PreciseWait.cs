using System.Runtime.InteropServices;
using Kukai.Engine.Timing;

namespace Kukai.Engine.Execution;

/// <summary>
/// Blocks the calling (dedicated) thread until a timestamp with sub-millisecond accuracy: coarse sleeps while far
/// away, then short <c>nanosleep</c>s on Linux (≈ 60 µs granularity with the default timer slack) or spinning
/// elsewhere. Never used on thread-pool threads.
/// </summary>
internal static partial class PreciseWait
{
    private static readonly bool UseNanosleep = OperatingSystem.IsLinux();

    /// <summary>Waits until <paramref name="clock"/> reads at least <paramref name="deadline"/>; returns early when <paramref name="cancel"/> is set.</summary>
    public static void Until(TimestampClock clock, long deadline, ref bool cancel)
    {
        var twoMs = clock.MicrosecondsToTicks(2000);
        var fine = clock.MicrosecondsToTicks(150);
        while (!Volatile.Read(ref cancel))
        {
            var remaining = deadline - clock.Now;
            if (remaining <= 0)
            {
                return;
            }

            if (remaining > twoMs)
            {
                // Wake a millisecond early; cap so a cancellation is seen within 50 ms.
                var ms = (int)Math.Min(50, clock.TicksToMicroseconds(remaining) / 1000 - 1);
                Thread.Sleep(Math.Max(1, ms));
            }
            else if (remaining > fine && UseNanosleep)
            {
                SleepMicroseconds(clock.TicksToMicroseconds(remaining) - 100);
            }
            else
            {
                Thread.SpinWait(20);
            }
        }
    }

    private static void SleepMicroseconds(long us)
    {
        if (us <= 0)
        {
            return;
        }

        var ts = new Timespec { Seconds = us / 1_000_000, Nanoseconds = us % 1_000_000 * 1000 };
        _ = Nanosleep(ref ts, IntPtr.Zero);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "nanosleep")]
    private static partial int Nanosleep(ref Timespec request, IntPtr remaining);
}
