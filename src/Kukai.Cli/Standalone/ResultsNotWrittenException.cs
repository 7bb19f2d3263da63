namespace Kukai.Cli.Standalone;

/// <summary>The test ran (its summary was printed) but its results files could not be written: exit code 3, one line.</summary>
public sealed class ResultsNotWrittenException(string message) : Exception(message);
