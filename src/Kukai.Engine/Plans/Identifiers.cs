namespace Kukai.Engine.Plans;

/// <summary>
/// The rule for node and test ids: they name files and folders (results, spooled rows) and appear in URLs, so they
/// are short and made of safe characters only — no path separators, no leading dot.
/// </summary>
public static class Identifiers
{
    /// <summary>Why <paramref name="id"/> is not a valid id, or null when it is.</summary>
    public static string? Problem(string id) =>
        id.Length is >= 1 and <= 64 && id[0] is not ('.' or '-') && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')
            ? null
            : "must be 1 to 64 letters, digits, '.', '_' or '-', not starting with '.' or '-'";

    public static bool IsValid(string id) => Problem(id) is null;
}
