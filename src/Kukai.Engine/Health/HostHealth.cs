namespace Kukai.Engine.Health;

/// <summary>
/// How busy the load generator's machine was during an interval. A saturated generator cannot keep its schedule,
/// so its latencies are suspect; results flag such seconds.
/// </summary>
/// <param name="ProcessCpuPercent">CPU used by this process, as a percentage of the whole machine (all cores = 100).</param>
/// <param name="MachineCpuPercent">CPU used by everything on the machine (all cores = 100); NaN where unknown.</param>
/// <param name="Saturated">True when the process or the machine was close to fully busy.</param>
public sealed record HostHealth(double ProcessCpuPercent, double MachineCpuPercent, bool Saturated)
{
    /// <summary>Machine or process CPU at or above this percentage marks a second as saturated.</summary>
    public const double SaturationPercent = 95;
}
