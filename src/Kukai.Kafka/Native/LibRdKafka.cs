using System.Runtime.InteropServices;

namespace Kukai.Kafka.Native;

/// <summary>
/// The few librdkafka C functions Confluent.Kafka does not expose: configuration checks and the built-in mock
/// cluster (<c>rdkafka_mock.h</c>, an experimental API that librdkafka 2.0.2 exports). Call
/// <see cref="KafkaNative.EnsureLoaded"/> first so a missing library fails with an install hint.
/// </summary>
internal static unsafe partial class LibRdKafka
{
    /// <summary>Debian's package <c>librdkafka1</c> ships only the versioned name (no development symlink).</summary>
    public const string LibraryName = "librdkafka.so.1";

    /// <summary><c>RD_KAFKA_PRODUCER</c>.</summary>
    public const int ProducerType = 0;

    /// <summary><c>RD_KAFKA_CONF_OK</c>; <c>RD_KAFKA_CONF_UNKNOWN</c> is -2, <c>RD_KAFKA_CONF_INVALID</c> -1.</summary>
    public const int ConfOk = 0;

    /// <summary><c>RD_KAFKA_CONF_UNKNOWN</c>.</summary>
    public const int ConfUnknown = -2;

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_version_str")]
    public static partial nint VersionString();

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_err2name")]
    public static partial nint ErrorName(int error);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_err2str")]
    public static partial nint ErrorDescription(int error);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_conf_new")]
    public static partial nint ConfNew();

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_conf_destroy")]
    public static partial void ConfDestroy(nint conf);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_conf_set", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ConfSet(nint conf, string name, string value, byte* errorText, nuint errorTextSize);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_conf_set_log_cb")]
    public static partial void ConfSetLogCallback(nint conf, delegate* unmanaged<nint, int, byte*, byte*, void> callback);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_conf_set_opaque")]
    public static partial void ConfSetOpaque(nint conf, nint opaque);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_opaque")]
    public static partial nint Opaque(nint handle);

    /// <summary>Takes ownership of <paramref name="conf"/> on success only.</summary>
    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_new")]
    public static partial nint New(int type, nint conf, byte* errorText, nuint errorTextSize);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_destroy")]
    public static partial void Destroy(nint handle);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_mock_cluster_new")]
    public static partial nint MockClusterNew(nint handle, int brokerCount);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_mock_cluster_destroy")]
    public static partial void MockClusterDestroy(nint cluster);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_mock_cluster_bootstraps")]
    public static partial nint MockClusterBootstraps(nint cluster);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_mock_topic_create", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MockTopicCreate(nint cluster, string topic, int partitions, int replicationFactor);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_mock_broker_set_down")]
    public static partial int MockBrokerSetDown(nint cluster, int brokerId);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_mock_broker_set_up")]
    public static partial int MockBrokerSetUp(nint cluster, int brokerId);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_mock_broker_set_rtt")]
    public static partial int MockBrokerSetRtt(nint cluster, int brokerId, int rttMs);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_mock_push_request_errors_array")]
    public static partial void MockPushRequestErrors(nint cluster, short apiKey, nuint count, int* errors);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_mock_clear_request_errors")]
    public static partial void MockClearRequestErrors(nint cluster, short apiKey);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_mock_partition_set_leader", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MockPartitionSetLeader(nint cluster, string topic, int partition, int brokerId);

    /// <summary>A librdkafka <c>const char*</c> (owned by the library) as a string.</summary>
    public static string Text(nint utf8) => Marshal.PtrToStringUTF8(utf8) ?? "";
}
