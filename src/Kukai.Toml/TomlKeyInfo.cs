namespace Kukai.Toml;

/// <summary>
/// Where a key of a <see cref="TomlTable"/> was first defined: the position of the key itself (for a dotted
/// key or a table header, the position of this key's own segment), 1-based, columns in Unicode scalar values.
/// </summary>
public readonly record struct TomlKeyInfo(string Key, int Line, int Column);
