namespace Kukai.Engine.Tests.Execution;

/// <summary>
/// Every <see cref="LoadRunnerTests"/> case again with native event loops off: unlimited avalanches then run on the
/// portable <c>ClosedLoop</c> over <c>Http1Channel</c>, which is what other platforms and non-HTTP/1.1 targets use.
/// </summary>
public sealed class LoadRunnerManagedLoopTests : LoadRunnerTests
{
    protected override bool NativeEventLoop => false;
}
