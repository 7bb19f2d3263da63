using Confluent.Kafka;
using Kukai.Cluster.Messages;
using Kukai.Cluster.Transport;
using Microsoft.Extensions.Logging;

namespace Kukai.Kafka;

/// <summary>
/// <see cref="IClusterTransport"/> over Apache Kafka (Confluent.Kafka over the system librdkafka). One idempotent
/// producer (<c>acks=all</c>, key = the message's driver id, so order is kept per driver) shared by every publish; one
/// consumer per <see cref="ConsumeAsync"/>. The three topics are made sure of on first use. Thread-safe.
/// </summary>
public sealed class KafkaTransport : IClusterTransport
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(5);

    private readonly KafkaTransportOptions _options;
    private readonly ILogger<KafkaTransport> _logger;
    private readonly KafkaStatusTracker _status;
    private readonly KafkaTopicInitializer _topicInitializer;
    private readonly CancellationTokenSource _disposeCts = new();
    private readonly Lock _sync = new();
    private readonly List<Task> _consumers = [];
    private readonly List<IProducer<string, byte[]>> _retiredProducers = [];
    private volatile IProducer<string, byte[]> _producer;
    private volatile bool _producerFatal;
    private Task? _topicsReady;
    private bool _disposed;

    /// <summary>Builds the transport; throws <see cref="ArgumentException"/> listing every invalid option.</summary>
    public KafkaTransport(KafkaTransportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(options));
        }

        KafkaNative.EnsureLoaded();
        _options = options;
        _logger = options.LoggerFactory.CreateLogger<KafkaTransport>();
        _status = new KafkaStatusTracker(options.BootstrapServers, options.TimeProvider, _logger);
        _topicInitializer = new KafkaTopicInitializer(options, _status, _logger);
        _producer = BuildProducer();
    }

    public TransportStatus Status => _status.Current;

    /// <summary>
    /// Makes sure the three topics exist (see <see cref="KafkaTopicInitializer.EnsureAsync"/>); done once, on first
    /// use. Waits while no broker answers.
    /// </summary>
    public Task EnsureTopicsAsync(CancellationToken ct)
    {
        Task task;
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_topicsReady is null || _topicsReady.IsFaulted || _topicsReady.IsCanceled)
            {
                var token = _disposeCts.Token;
                _topicsReady = Task.Run(() => _topicInitializer.EnsureAsync(token), token);
            }

            task = _topicsReady;
        }

        return task.IsCompletedSuccessfully ? task : task.WaitAsync(ct);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// librdkafka retries inside <c>message.timeout.ms</c> (30 s unless overridden) without reordering or duplicating
    /// (idempotence); beyond that the message is sent again (at least once) until <paramref name="ct"/> is cancelled.
    /// Unauthorised, too large or otherwise permanent failures throw <see cref="ClusterTransportException"/>.
    /// </remarks>
    public async Task PublishAsync(ClusterTopic topic, ClusterMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        var topicName = KafkaTopics.Name(_options.TopicPrefix, topic);
        var kafkaMessage = new Message<string, byte[]> { Key = message.DriverId, Value = ClusterMessageCodec.Encode(message) };
        await EnsureTopicsAsync(ct).ConfigureAwait(false);
        var delay = FirstRetryDelay;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var producer = CurrentProducer();
            Error error;
            Exception failure;
            try
            {
                await producer.ProduceAsync(topicName, kafkaMessage, ct).ConfigureAwait(false);
                _status.MarkUp();
                return;
            }
            catch (ProduceException<string, byte[]> ex)
            {
                (error, failure) = (ex.Error, ex);
            }
            catch (KafkaException ex)
            {
                // Thrown before sending: the local queue is full, the producer failed fatally, bad arguments.
                (error, failure) = (ex.Error, ex);
            }

            if (error.IsFatal || error.Code == ErrorCode.Local_Fatal)
            {
                _producerFatal = true;
            }
            else if (KafkaErrors.IsPermanent(error.Code))
            {
                KafkaLog.PublishFailed(_logger, topicName, error.Reason);
                throw new ClusterTransportException($"publishing to Kafka topic {topicName} failed: {error.Reason}", failure);
            }
            else
            {
                _status.RecordError(error.Reason);
                KafkaLog.PublishRetry(_logger, topicName, error.Reason);
            }

            await Task.Delay(delay, _options.TimeProvider, ct).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Without a group, every partition is read from its end at subscription time (no group join, no commits); in a
    /// group, offsets are committed after the handler returns (at least once) and a restarted reader resumes there.
    /// <paramref name="started"/> completes once every read position is fixed. Ends when <paramref name="ct"/> is
    /// cancelled or the transport is disposed.
    /// </remarks>
    public async Task ConsumeAsync(ClusterSubscription subscription, Func<ClusterMessage, CancellationToken, Task> handler, TaskCompletionSource? started, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentNullException.ThrowIfNull(handler);
        if (subscription.Topics.Count == 0)
        {
            throw new ArgumentException("a subscription needs at least one topic", nameof(subscription));
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _disposeCts.Token);
        try
        {
            await EnsureTopicsAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            started?.TrySetCanceled(linked.Token);
            return;
        }

        var loop = new KafkaConsumerLoop(_options, subscription, handler, started, _status, _logger, linked.Token);
        Task running;
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            running = loop.Start();
            _consumers.Add(running);
        }

        try
        {
            await running.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            started?.TrySetException(ex);
            throw;
        }
        finally
        {
            // A caller waiting for the start must not wait forever for a reader that ended first.
            started?.TrySetCanceled(linked.Token);
            lock (_sync)
            {
                _consumers.Remove(running);
            }
        }
    }

    /// <summary>Stops every consumer (leaving their groups), delivers what is queued (up to 5 s) and releases the clients.</summary>
    public async ValueTask DisposeAsync()
    {
        Task[] consumers;
        lock (_sync)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            consumers = [.. _consumers];
        }

        await _disposeCts.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(consumers).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Their own ConsumeAsync callers observe these failures.
        }

        await Task.Run(() =>
        {
            _producer.Flush(FlushTimeout);
            _producer.Dispose();
            foreach (var retired in _retiredProducers)
            {
                retired.Dispose();
            }
        }).ConfigureAwait(false);

        // _disposeCts stays undisposed: a topic check still running holds its token.
    }

    private IProducer<string, byte[]> CurrentProducer()
    {
        if (!_producerFatal)
        {
            return _producer;
        }

        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_producerFatal)
            {
                // An idempotent producer that failed fatally (e.g. broken sequence) accepts nothing more; its pending
                // deliveries fail on their own, so it is kept until disposal rather than torn down under them.
                KafkaLog.ProducerReplaced(_logger, "fatal error");
                _retiredProducers.Add(_producer);
                _producer = BuildProducer();
                _producerFatal = false;
            }

            return _producer;
        }
    }

    private IProducer<string, byte[]> BuildProducer()
    {
        var client = _options.ClientId + "#producer";
        try
        {
            return new ProducerBuilder<string, byte[]>(KafkaClientSettings.Producer(_options))
                .SetLogHandler((_, m) =>
                {
                    var level = KafkaLog.ToLogLevel(m.Level);
                    if (_logger.IsEnabled(level))
                    {
                        KafkaLog.LibrdkafkaLog(_logger, level, m.Name, m.Facility, m.Message);
                    }
                })
                .SetErrorHandler((_, e) =>
                {
                    if (e.IsFatal)
                    {
                        _producerFatal = true;
                    }

                    _status.OnClientError(client, e);
                })
                .SetStatisticsHandler((_, json) => _status.OnStatistics(json))
                .Build();
        }
        catch (Exception ex) when (ex is KafkaException or ArgumentException or InvalidOperationException)
        {
            throw new ClusterTransportException($"Kafka producer settings rejected: {ex.Message}", ex);
        }
    }
}
