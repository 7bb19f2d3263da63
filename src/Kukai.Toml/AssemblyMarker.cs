namespace Kukai.Toml;
internal static class AssemblyMarker;
