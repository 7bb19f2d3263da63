using Kukai.Toml.Parsing;

namespace Kukai.Toml;

/// <summary>
/// Reads TOML 1.0.0 documents into a <see cref="TomlTable"/> tree. Every malformed document is rejected with a
/// <see cref="TomlException"/> that points at the offending character. Stateless and thread-safe.
/// </summary>
public static class TomlReader
{
    /// <summary>Parses <paramref name="text"/>; a leading byte order mark (U+FEFF) is ignored.</summary>
    /// <param name="text">The document.</param>
    /// <param name="fileName">Name used in error messages; <c>&lt;input&gt;</c> when null.</param>
    public static TomlTable Parse(string text, string? fileName = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TomlParser.Parse(text, fileName);
    }

    /// <summary>
    /// Reads and parses the UTF-8 file at <paramref name="path"/> (a byte order mark is allowed). Invalid UTF-8
    /// is a <see cref="TomlException"/>; I/O failures surface as the usual <see cref="IOException"/>s.
    /// Error messages name the file as <paramref name="path"/> was given.
    /// </summary>
    public static TomlTable ParseFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return ParseUtf8(File.ReadAllBytes(path), path);
    }

    /// <summary>Parses a UTF-8 document (a byte order mark is allowed); invalid UTF-8 is a <see cref="TomlException"/>.</summary>
    /// <param name="bytes">The document's bytes.</param>
    /// <param name="fileName">Name used in error messages.</param>
    public static TomlTable ParseUtf8(byte[] bytes, string fileName)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return TomlParser.Parse(Utf8Decoder.Decode(bytes, fileName), fileName);
    }
}
