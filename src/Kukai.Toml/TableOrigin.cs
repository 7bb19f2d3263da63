namespace Kukai.Toml;

/// <summary>How a table came into being; drives TOML's rules on which tables may be defined or extended later.</summary>
internal enum TableOrigin
{
    /// <summary>The document's root table.</summary>
    Root,

    /// <summary>Created only as a parent of a <c>[x.y]</c> header; may still be defined once by its own header.</summary>
    Implicit,

    /// <summary>Defined by a <c>[table]</c> header.</summary>
    Header,

    /// <summary>An element of an array of tables, defined by a <c>[[array]]</c> header.</summary>
    ArrayElement,

    /// <summary>Created by a dotted key (<c>a.b = 1</c> creates <c>a</c>).</summary>
    DottedKey,

    /// <summary>An inline table literal <c>{ ... }</c>.</summary>
    Inline,
}
