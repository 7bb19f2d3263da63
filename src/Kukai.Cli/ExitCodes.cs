namespace Kukai.Cli;

/// <summary>Process exit codes (SPEC §1). Stable: scripts depend on them.</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Success = 0;

    /// <summary>The test ran but a threshold failed.</summary>
    public const int ThresholdFailed = 1;

    /// <summary>Bad input: config, flags, files.</summary>
    public const int BadInput = 2;

    /// <summary>Runtime failure: the test could not run or its results could not be written.</summary>
    public const int RuntimeFailure = 3;
}
