using System.Runtime.InteropServices;
using Confluent.Kafka;
using Kukai.Kafka.Native;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kukai.Kafka.Dev;

/// <summary>
/// librdkafka's built-in mock Kafka cluster: N brokers (ids 1..N) speaking the Kafka protocol on 127.0.0.1 ephemeral
/// ports, usable by any client on this machine through <see cref="BootstrapServers"/>. For development and tests
/// only (it keeps everything in memory and has no CreateTopics API: topics come from <see cref="CreateTopic"/> or
/// auto-creation). Fault injection: brokers down/up, round-trip delays, request errors. Thread-safe.
/// </summary>
public sealed unsafe class MockKafkaCluster : IDisposable
{
    private readonly Lock _sync = new();
    private readonly bool[] _up;
    private readonly int[] _rttMs;
    private GCHandle _loggerHandle;
    private nint _handle;
    private nint _cluster;

    /// <summary>Starts a cluster of <paramref name="brokers"/> brokers (1..32, default 3).</summary>
    public MockKafkaCluster(int brokers = 3, ILoggerFactory? loggerFactory = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(brokers, 32);
        KafkaNative.EnsureLoaded();
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<MockKafkaCluster>();
        _loggerHandle = GCHandle.Alloc(logger);
        var conf = LibRdKafka.ConfNew();
        const int errorSize = 512;
        var errorText = stackalloc byte[errorSize];
        try
        {
            SetConf(conf, "client.id", "kukai-mock-cluster");
            LibRdKafka.ConfSetOpaque(conf, GCHandle.ToIntPtr(_loggerHandle));
            LibRdKafka.ConfSetLogCallback(conf, &OnLog);
            _handle = LibRdKafka.New(LibRdKafka.ProducerType, conf, errorText, errorSize);
            if (_handle == 0)
            {
                LibRdKafka.ConfDestroy(conf);
                throw new InvalidOperationException("librdkafka could not create the mock cluster's handle: " + Marshal.PtrToStringUTF8((nint)errorText));
            }

            _cluster = LibRdKafka.MockClusterNew(_handle, brokers);
            if (_cluster == 0)
            {
                throw new InvalidOperationException("librdkafka could not start a mock cluster");
            }
        }
        catch
        {
            if (_handle != 0)
            {
                LibRdKafka.Destroy(_handle);
            }

            _loggerHandle.Free();
            throw;
        }

        BootstrapServers = LibRdKafka.Text(LibRdKafka.MockClusterBootstraps(_cluster));
        BrokerAddresses = BootstrapServers.Split(',');
        BrokerIds = Enumerable.Range(1, brokers).ToArray();
        _up = new bool[brokers];
        _up.AsSpan().Fill(true);
        _rttMs = new int[brokers];
    }

    /// <summary>Comma-separated <c>host:port</c> of every broker, for <c>bootstrap.servers</c>.</summary>
    public string BootstrapServers { get; }

    /// <summary>Broker ids, 1..N.</summary>
    public IReadOnlyList<int> BrokerIds { get; }

    /// <summary>Each broker's <c>host:port</c>, in the order of <see cref="BrokerIds"/>.</summary>
    public IReadOnlyList<string> BrokerAddresses { get; }

    /// <summary>Creates a topic (replication factor at most the broker count). Throws when it exists.</summary>
    public void CreateTopic(string name, int partitions, int replicationFactor)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(replicationFactor, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(replicationFactor, BrokerIds.Count);
        lock (_sync)
        {
            Check(LibRdKafka.MockTopicCreate(Cluster(), name, partitions, replicationFactor), $"create topic {name}");
        }
    }

    /// <summary>Disconnects the broker and refuses new connections (partition leadership does not move).</summary>
    public void SetBrokerDown(int brokerId)
    {
        lock (_sync)
        {
            Check(LibRdKafka.MockBrokerSetDown(Cluster(), CheckBroker(brokerId)), $"set broker {brokerId} down");
            _up[brokerId - 1] = false;
        }
    }

    /// <summary>Lets the broker accept connections again.</summary>
    public void SetBrokerUp(int brokerId)
    {
        lock (_sync)
        {
            Check(LibRdKafka.MockBrokerSetUp(Cluster(), CheckBroker(brokerId)), $"set broker {brokerId} up");
            _up[brokerId - 1] = true;
        }
    }

    /// <summary>Delays every response of the broker by <paramref name="rttMs"/> milliseconds (0 = none).</summary>
    public void SetBrokerRtt(int brokerId, int rttMs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rttMs);
        lock (_sync)
        {
            Check(LibRdKafka.MockBrokerSetRtt(Cluster(), CheckBroker(brokerId), rttMs), $"set broker {brokerId} rtt");
            _rttMs[brokerId - 1] = rttMs;
        }
    }

    /// <summary>
    /// Makes the next <c>errors.Length</c> requests of type <paramref name="apiKey"/> (on any broker) fail with these
    /// errors, in order. <see cref="ErrorCode.Local_Transport"/> makes the broker drop the connection instead.
    /// </summary>
    public void PushRequestErrors(KafkaApiKey apiKey, params ErrorCode[] errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Length == 0)
        {
            return;
        }

        var codes = new int[errors.Length];
        for (var i = 0; i < errors.Length; i++)
        {
            codes[i] = (int)errors[i];
        }

        lock (_sync)
        {
            fixed (int* p = codes)
            {
                LibRdKafka.MockPushRequestErrors(Cluster(), (short)apiKey, (nuint)codes.Length, p);
            }
        }
    }

    /// <summary>Drops the request errors still queued for <paramref name="apiKey"/>.</summary>
    public void ClearRequestErrors(KafkaApiKey apiKey)
    {
        lock (_sync)
        {
            LibRdKafka.MockClearRequestErrors(Cluster(), (short)apiKey);
        }
    }

    /// <summary>Moves the leadership of one partition (-1 leaves it without a leader).</summary>
    public void SetPartitionLeader(string topic, int partition, int brokerId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        lock (_sync)
        {
            Check(LibRdKafka.MockPartitionSetLeader(Cluster(), topic, partition, brokerId == -1 ? -1 : CheckBroker(brokerId)), $"set leader of {topic}[{partition}]");
        }
    }

    /// <summary>Whether the broker accepts connections (as last set through this instance).</summary>
    public bool IsBrokerUp(int brokerId)
    {
        lock (_sync)
        {
            return _up[CheckBroker(brokerId) - 1];
        }
    }

    /// <summary>The broker's injected round-trip delay in milliseconds (as last set through this instance).</summary>
    public int BrokerRttMs(int brokerId)
    {
        lock (_sync)
        {
            return _rttMs[CheckBroker(brokerId) - 1];
        }
    }

    public void Dispose()
    {
        lock (_sync)
        {
            if (_cluster == 0)
            {
                return;
            }

            LibRdKafka.MockClusterDestroy(_cluster);
            LibRdKafka.Destroy(_handle);
            _cluster = 0;
            _handle = 0;
            _loggerHandle.Free();
        }
    }

    private static void SetConf(nint conf, string name, string value)
    {
        const int errorSize = 512;
        var errorText = stackalloc byte[errorSize];
        if (LibRdKafka.ConfSet(conf, name, value, errorText, errorSize) != LibRdKafka.ConfOk)
        {
            throw new InvalidOperationException(Marshal.PtrToStringUTF8((nint)errorText));
        }
    }

    private static void Check(int error, string what)
    {
        if (error != 0)
        {
            throw new InvalidOperationException(
                $"mock cluster could not {what}: {LibRdKafka.Text(LibRdKafka.ErrorName(error))} ({LibRdKafka.Text(LibRdKafka.ErrorDescription(error))})");
        }
    }

    // Called on librdkafka's threads (the mock's and its handle's); the logger travels as the handle's opaque.
    [UnmanagedCallersOnly]
    private static void OnLog(nint handle, int level, byte* facility, byte* message)
    {
        try
        {
            var opaque = LibRdKafka.Opaque(handle);
            if (opaque != 0 && GCHandle.FromIntPtr(opaque).Target is ILogger logger)
            {
                var text = Marshal.PtrToStringUTF8((nint)message) ?? "";

                // The handle that hosts the mock has no brokers of its own to talk to, and says so: not news.
                var logLevel = text.Contains("No `bootstrap.servers` configured", StringComparison.Ordinal)
                    ? LogLevel.Debug
                    : KafkaLog.ToLogLevel((SyslogLevel)level);
                if (logger.IsEnabled(logLevel))
                {
                    KafkaLog.LibrdkafkaLog(logger, logLevel, "mock", Marshal.PtrToStringUTF8((nint)facility) ?? "", text);
                }
            }
        }
        catch (Exception)
        {
            // An exception must never unwind into librdkafka's threads; a lost log line is harmless.
        }
    }

    private int CheckBroker(int brokerId)
    {
        if (brokerId < 1 || brokerId > _up.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(brokerId), brokerId, $"no broker {brokerId} (brokers are 1..{_up.Length})");
        }

        return brokerId;
    }

    private nint Cluster()
    {
        ObjectDisposedException.ThrowIf(_cluster == 0, this);
        return _cluster;
    }
}
