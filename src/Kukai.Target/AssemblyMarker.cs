namespace Kukai.Target;
internal static class AssemblyMarker;
