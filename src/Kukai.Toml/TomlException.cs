namespace Kukai.Toml;

/// <summary>
/// A malformed TOML document. <see cref="Exception.Message"/> is exactly <c>"{file}:{line}:{col}: {reason}"</c>,
/// with <see cref="Line"/> and <see cref="Column"/> 1-based (columns in Unicode scalar values) and pointing at
/// the offending character.
/// </summary>
public sealed class TomlException : Exception
{
    /// <summary>The name used for documents parsed without a file name.</summary>
    public const string DefaultFileName = "<input>";

    public TomlException(string? fileName, int line, int column, string reason)
        : base($"{fileName ?? DefaultFileName}:{line}:{column}: {reason}")
    {
        FileName = fileName ?? DefaultFileName;
        Line = line;
        Column = column;
        Reason = reason;
    }

    /// <summary>The file name given to the reader, or <see cref="DefaultFileName"/>.</summary>
    public string FileName { get; }

    /// <summary>Line of the offending character (1-based).</summary>
    public int Line { get; }

    /// <summary>Column of the offending character (1-based, in Unicode scalar values).</summary>
    public int Column { get; }

    /// <summary>What is wrong, in plain words, without the position.</summary>
    public string Reason { get; }
}
