namespace Kukai.Orchestrator.Tests.Api;

/// <summary>
/// The API and access-control tests that start whole <c>kukai</c> processes run one class at a time (the machine is
/// small); the cluster with a token and a finished test is shared by the classes that read it.
/// </summary>
[CollectionDefinition(Name)]
public sealed class OrchestratorProcessCollection
{
    public const string Name = "Orchestrator processes";
}
