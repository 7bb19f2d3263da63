using System.Text.Json;
using Confluent.Kafka;
using Kukai.Cluster.Transport;
using Microsoft.Extensions.Logging;

namespace Kukai.Kafka;

/// <summary>
/// Whether the transport's clients reach Kafka, from their signals: deliveries and messages read (up), librdkafka's
/// statistics (a broker connection up or not) and error callbacks (all brokers down). Logs each change once.
/// Thread-safe (called from librdkafka's callback threads).
/// </summary>
internal sealed class KafkaStatusTracker(string bootstrapServers, TimeProvider timeProvider, ILogger logger)
{
    private readonly Lock _sync = new();
    private bool _connected;
    private bool _everConnected;
    private string? _lastError;
    private DateTimeOffset? _lastErrorAt;

    public TransportStatus Current
    {
        get
        {
            lock (_sync)
            {
                return _connected
                    ? new TransportStatus(true, $"connected to {bootstrapServers}", _lastErrorAt)
                    : new TransportStatus(false, _lastError is null ? $"connecting to {bootstrapServers}" : $"not connected to {bootstrapServers}: {_lastError}", _lastErrorAt);
            }
        }
    }

    /// <summary>A client just talked to a broker successfully.</summary>
    public void MarkUp()
    {
        lock (_sync)
        {
            if (_connected)
            {
                return;
            }

            _connected = true;
            _everConnected = true;
        }

        KafkaLog.Connected(logger, bootstrapServers);
    }

    /// <summary>No broker is reachable.</summary>
    public void MarkDown(string reason)
    {
        bool wasConnected;
        lock (_sync)
        {
            wasConnected = _connected;
            _connected = false;
            _lastError = reason;
            _lastErrorAt = timeProvider.GetUtcNow();
        }

        if (wasConnected)
        {
            KafkaLog.Disconnected(logger, bootstrapServers, reason);
        }
    }

    /// <summary>A client reported an error it recovers from by itself (one broker unreachable, a request failed).</summary>
    public void RecordError(string reason)
    {
        lock (_sync)
        {
            _lastError = reason;
            _lastErrorAt = timeProvider.GetUtcNow();
        }
    }

    /// <summary>A client's error callback.</summary>
    public void OnClientError(string client, Error error)
    {
        if (error.IsFatal)
        {
            KafkaLog.ClientFatal(logger, client, error.Reason);
            RecordError(error.Reason);
        }
        else if (error.Code == ErrorCode.Local_AllBrokersDown)
        {
            MarkDown(error.Reason);
        }
        else
        {
            KafkaLog.ClientError(logger, client, error.Reason);
            RecordError(error.Reason);
        }
    }

    /// <summary>A client's statistics (librdkafka JSON, every <c>statistics.interval.ms</c>): up when any broker connection is.</summary>
    public void OnStatistics(string json)
    {
        bool? anyUp = null;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.TryGetProperty("brokers", out var brokers) && brokers.ValueKind == JsonValueKind.Object)
            {
                anyUp = false;
                foreach (var broker in brokers.EnumerateObject())
                {
                    if (broker.Value.TryGetProperty("state", out var state) && state.ValueEquals("UP"u8))
                    {
                        anyUp = true;
                        break;
                    }
                }
            }
        }
        catch (JsonException)
        {
            return;
        }

        if (anyUp == true)
        {
            MarkUp();
        }
        else if (anyUp == false && EverConnected)
        {
            MarkDown("no broker connection is up");
        }
    }

    private bool EverConnected
    {
        get
        {
            lock (_sync)
            {
                return _everConnected;
            }
        }
    }
}
