namespace Kukai.Kafka;
internal static class AssemblyMarker;
