namespace Kukai.Engine.Execution;

/// <summary>
/// Who runs a plan: this driver's id and its place among the drivers of the test. Each driver derives its own
/// share from these (its schedule phase and random seed); the plan itself is the same for all.
/// </summary>
/// <param name="DriverId">This driver's id (results and per-request rows carry it).</param>
/// <param name="DriverIndex">0-based index among the test's drivers.</param>
/// <param name="DriverCount">How many drivers run the test.</param>
/// <param name="Seed">Seeds target choice and sampling; fixed seeds make runs repeatable.</param>
public sealed record RunContext(string DriverId, int DriverIndex = 0, int DriverCount = 1, ulong Seed = 0x5EED)
{
    /// <summary>
    /// Lets an unlimited avalanche over plain HTTP/1.1 run on native event loops (Linux x86-64): the same measurements
    /// at a fraction of the CPU. Tests turn it off to exercise the portable path.
    /// </summary>
    public bool NativeEventLoop { get; init; } = true;

    /// <summary>Where in a slot this driver's schedule starts: i / n.</summary>
    public double Phase => DriverCount <= 1 ? 0 : (double)DriverIndex / DriverCount;
}
