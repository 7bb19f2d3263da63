namespace Kukai.Engine.Plans;

/// <summary>The two test types of SPEC §2.</summary>
public enum TestType
{
    /// <summary>Closed model: <c>concurrency</c> requests in flight per driver, each sent as soon as a slot frees.</summary>
    Avalanche,

    /// <summary>Open model: one request every <c>delay_ms</c> per driver, whatever the responses.</summary>
    Tsunami,
}
