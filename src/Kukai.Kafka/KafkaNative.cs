using System.Reflection;
using System.Runtime.InteropServices;
using Kukai.Cluster.Transport;
using Kukai.Kafka.Native;

namespace Kukai.Kafka;

/// <summary>
/// Points Confluent.Kafka 1.9.3 at the system librdkafka (Debian package <c>librdkafka1</c>). The client probes the
/// names <c>librdkafka</c> and <c>libdl</c>, which Debian ships only as <c>librdkafka.so.1</c> and
/// <c>libdl.so.2</c>, so a resolver maps them before the first native call.
/// </summary>
public static class KafkaNative
{
    private static readonly Lock Sync = new();
    private static string? _version;

    /// <summary>
    /// Installs the resolver once and loads librdkafka; returns its version (e.g. <c>2.0.2</c>). Idempotent and
    /// thread-safe. Throws <see cref="ClusterTransportException"/> when the library is not installed.
    /// </summary>
    public static string EnsureLoaded()
    {
        var version = Volatile.Read(ref _version);
        if (version is not null)
        {
            return version;
        }

        lock (Sync)
        {
            if (_version is not null)
            {
                return _version;
            }

            if (!NativeLibrary.TryLoad(LibRdKafka.LibraryName, out _))
            {
                throw new ClusterTransportException(
                    $"Kafka client library {LibRdKafka.LibraryName} not found: install the Debian package librdkafka1 (apt-get install librdkafka1)");
            }

            try
            {
                NativeLibrary.SetDllImportResolver(typeof(Confluent.Kafka.Library).Assembly, Resolve);
            }
            catch (InvalidOperationException)
            {
                // The host installed its own resolver for Confluent.Kafka already; the load below tells whether it works.
            }

            try
            {
                Confluent.Kafka.Library.Load();
                version = Confluent.Kafka.Library.VersionString;
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or InvalidOperationException)
            {
                throw new ClusterTransportException(
                    $"Kafka client library {LibRdKafka.LibraryName} could not be used by Confluent.Kafka ({ex.Message}): install the Debian package librdkafka1", ex);
            }

            Volatile.Write(ref _version, version);
            return version;
        }
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) => name switch
    {
        "librdkafka" => NativeLibrary.Load(LibRdKafka.LibraryName),
        "libdl" => NativeLibrary.TryLoad("libdl.so.2", out var handle) ? handle : IntPtr.Zero,
        _ => IntPtr.Zero,
    };
}
