namespace Kukai.Results;

/// <summary>A second in which a driver's process or machine was saturated.</summary>
public sealed record SaturatedSecond(long Second, string DriverId, double ProcessCpuPercent, double MachineCpuPercent);
