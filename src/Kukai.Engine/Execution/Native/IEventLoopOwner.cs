namespace Kukai.Engine.Execution.Native;

/// <summary>What an <see cref="EventLoop"/> asks of the run that owns it.</summary>
internal interface IEventLoopOwner
{
    /// <summary>Lanes with a lower index may send (a concurrency ramp changes it).</summary>
    int Active { get; }

    /// <summary>True once no new request may start.</summary>
    bool IssuingOver { get; }

    /// <summary>Takes one request from the budget, starting at <paramref name="now"/>; false when none is left or issuing stopped.</summary>
    bool TryTake(long now);
}
