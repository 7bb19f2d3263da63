namespace Kukai.Toml.Parsing;

/// <summary>One segment of a (possibly dotted) key, with where it was written.</summary>
internal readonly record struct KeyPart(string Name, TextPosition Position);
