namespace Kukai.Engine.Tests.Testing;

/// <summary>
/// Tests that measure the whole process (allocation counters, the CPU of the engine's threads, the JIT's work) run
/// alone, after the others: anything running beside them would be measured too.
/// </summary>
[CollectionDefinition(nameof(ProcessWideCollection), DisableParallelization = true)]
public sealed class ProcessWideCollection;
