namespace Kukai.Engine.Metrics;

/// <summary>
/// Whether a paced request left on time and, when it did not (more than 1 ms behind its intended start), why: the
/// larger part of its delay was spent either waiting for a free connection or waiting for the generator itself.
/// </summary>
public enum Lateness
{
    /// <summary>Sent at most 1 ms after its intended start.</summary>
    OnTime,

    /// <summary>Late, mostly after a connection was free: the generator was behind (CPU, a pause, an oversleep).</summary>
    Behind,

    /// <summary>Late, mostly waiting for a free connection: every connection was busy with the target.</summary>
    ConnectionsBusy,
}
