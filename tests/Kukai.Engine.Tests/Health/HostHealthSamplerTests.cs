using System.Diagnostics;
using Kukai.Engine.Health;
using Kukai.Engine.Tests.Testing;

namespace Kukai.Engine.Tests.Health;

public sealed class HostHealthSamplerTests
{
    [Fact]
    public void Sample_NoWallTimeElapsed_ZeroProcessCpu()
    {
        var sampler = new HostHealthSampler(new ManualTimeProvider());

        var health = sampler.Sample();

        Assert.Equal(0, health.ProcessCpuPercent);
        Assert.Equal(health.MachineCpuPercent >= HostHealth.SaturationPercent, health.Saturated);
    }

    [Fact]
    public void Sample_BusyProcessInShortWallTime_ClampedTo100AndSaturated()
    {
        var time = new ManualTimeProvider();
        var sampler = new HostHealthSampler(time);
        BurnCpu(TimeSpan.FromMilliseconds(30));
        time.Advance(TimeSpan.FromMilliseconds(1));

        var health = sampler.Sample();

        Assert.Equal(100, health.ProcessCpuPercent);
        Assert.True(health.Saturated);
    }

    [Fact]
    public void Sample_BusyProcessInLongWallTime_SharesOfAllCores()
    {
        var time = new ManualTimeProvider();
        var sampler = new HostHealthSampler(time);
        var used = BurnCpu(TimeSpan.FromMilliseconds(30));
        time.Advance(TimeSpan.FromSeconds(1000));

        var health = sampler.Sample();

        // At least the burnt CPU over 1000 s of all cores; far from saturated.
        Assert.InRange(health.ProcessCpuPercent, 0, 5);
        Assert.True(used.TotalSeconds / (1000 * Environment.ProcessorCount) * 100 <= health.ProcessCpuPercent + 0.05);
        Assert.False(health.ProcessCpuPercent >= HostHealth.SaturationPercent);
    }

    [Fact]
    public void Sample_OnLinux_MachineCpuIsAPercentageOrUnknown()
    {
        var sampler = new HostHealthSampler(TimeProvider.System);
        BurnCpu(TimeSpan.FromMilliseconds(30));

        var health = sampler.Sample();

        if (OperatingSystem.IsLinux() && !double.IsNaN(health.MachineCpuPercent))
        {
            Assert.InRange(health.MachineCpuPercent, 0, 100);
        }
        else
        {
            Assert.True(double.IsNaN(health.MachineCpuPercent));
        }

        Assert.InRange(health.ProcessCpuPercent, 0, 100);
    }

    // Spins until the process's CPU time has grown by at least `amount` (its granularity is a clock tick).
    private static TimeSpan BurnCpu(TimeSpan amount)
    {
        using var process = Process.GetCurrentProcess();
        var start = process.TotalProcessorTime;
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            for (var i = 0; i < 100_000; i++)
            {
                Thread.SpinWait(1);
            }

            process.Refresh();
            var used = process.TotalProcessorTime - start;
            if (used >= amount)
            {
                return used;
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(20), "could not burn CPU");
        }
    }
}
