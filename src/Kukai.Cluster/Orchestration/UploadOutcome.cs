namespace Kukai.Cluster.Orchestration;

/// <summary>The result of a driver's upload of its per-request rows.</summary>
public enum UploadOutcome
{
    Accepted,
    NotFound,
    NotExpected,
    Invalid,
}
