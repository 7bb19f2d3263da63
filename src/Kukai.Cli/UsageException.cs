namespace Kukai.Cli;

/// <summary>
/// Bad input from the user: printed as one line (naming the file/flag/field, the value and the rule) and exit code 2.
/// </summary>
public sealed class UsageException(string message) : Exception(message);
