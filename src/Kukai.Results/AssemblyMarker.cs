namespace Kukai.Results;
internal static class AssemblyMarker;
