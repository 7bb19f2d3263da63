using Confluent.Kafka;
using Kukai.Cluster.Messages;
using Kukai.Cluster.Transport;
using Microsoft.Extensions.Logging;

namespace Kukai.Kafka;

/// <summary>
/// One <see cref="KafkaTransport.ConsumeAsync"/>: a consumer read on a dedicated thread (librdkafka's <c>Consume</c>
/// blocks), the async handler called for one message at a time on that thread.
/// </summary>
/// <remarks>
/// Positions are always explicit, so a message published after <c>started</c> completes is never missed:
/// without a group every partition is assigned at its current end offset; in a group each partition resumes at its
/// committed offset, or at its current end offset when the group has none. Group offsets are stored after the handler
/// returns and committed in the background and on close (at least once).
/// </remarks>
internal sealed class KafkaConsumerLoop
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan WarningInterval = TimeSpan.FromSeconds(30);

    private readonly KafkaTransportOptions _options;
    private readonly ClusterSubscription _subscription;
    private readonly Func<ClusterMessage, CancellationToken, Task> _handler;
    private readonly TaskCompletionSource? _started;
    private readonly CancellationToken _ct;
    private readonly KafkaStatusTracker _status;
    private readonly ILogger _logger;
    private readonly string[] _topics;
    private readonly string _topicList;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _undecodable;
    private long _undecodableLogged;
    private DateTimeOffset _undecodableLoggedAt = DateTimeOffset.MinValue;
    private DateTimeOffset _errorLoggedAt = DateTimeOffset.MinValue;

    public KafkaConsumerLoop(
        KafkaTransportOptions options,
        ClusterSubscription subscription,
        Func<ClusterMessage, CancellationToken, Task> handler,
        TaskCompletionSource? started,
        KafkaStatusTracker status,
        ILogger logger,
        CancellationToken ct)
    {
        _options = options;
        _subscription = subscription;
        _handler = handler;
        _started = started;
        _status = status;
        _logger = logger;
        _ct = ct;
        _topics = subscription.Topics.Distinct().Select(t => KafkaTopics.Name(options.TopicPrefix, t)).ToArray();
        _topicList = string.Join(", ", _topics);
    }

    /// <summary>Starts the thread; the task ends when the token is cancelled (or faults when the handler throws).</summary>
    public Task Start()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "kukai-kafka-consumer" };
        thread.Start();
        return _completion.Task;
    }

    private void Run()
    {
        IConsumer<Ignore, byte[]>? consumer = null;
        try
        {
            consumer = Build();
            KafkaLog.ConsumerStarted(_logger, _topicList, _subscription.Group is { } group ? $"group {group}" : "every partition from its end");
            if (_subscription.Group is null)
            {
                AssignAtEnd(consumer);
            }
            else
            {
                consumer.Subscribe(_topics);
            }

            while (!_ct.IsCancellationRequested)
            {
                ConsumeResult<Ignore, byte[]>? result;
                try
                {
                    result = consumer.Consume(_ct);
                }
                catch (ConsumeException ex) when (!ex.Error.IsFatal)
                {
                    // librdkafka recovers from broker and fetch errors by itself; the consumer stays.
                    _status.RecordError(ex.Error.Reason);
                    WarnRateLimited(ex.Error.Reason);
                    continue;
                }

                if (result?.Message is null)
                {
                    continue;
                }

                _status.MarkUp();
                if (ClusterMessageCodec.TryDecode(result.Message.Value, out var message, out var error))
                {
                    _handler(message, _ct).GetAwaiter().GetResult();
                }
                else
                {
                    NoteUndecodable(result, error);
                }

                if (_subscription.Group is not null)
                {
                    StoreOffset(consumer, result);
                }
            }

            Close(consumer);
            _completion.TrySetResult();
        }
        catch (OperationCanceledException) when (_ct.IsCancellationRequested)
        {
            Close(consumer);
            _completion.TrySetResult();
        }
        catch (ClusterTransportException ex) when (consumer is null)
        {
            _completion.TrySetException(ex);
        }
        catch (ConsumeException ex)
        {
            KafkaLog.ConsumerFailed(_logger, _topicList, ex);
            Close(consumer);
            _completion.TrySetException(new ClusterTransportException($"Kafka consumer of {_topicList} failed: {ex.Error.Reason}", ex));
        }
        catch (Exception ex)
        {
            // The handler's own exceptions end the consumer as they would with the in-process transport.
            KafkaLog.ConsumerFailed(_logger, _topicList, ex);
            Close(consumer);
            _completion.TrySetException(ex);
        }
        finally
        {
            consumer?.Dispose();
            KafkaLog.ConsumerStopped(_logger, _topicList);
        }
    }

    private IConsumer<Ignore, byte[]> Build()
    {
        var client = _options.ClientId + "#consumer";
        var builder = new ConsumerBuilder<Ignore, byte[]>(KafkaClientSettings.Consumer(_options, _subscription.Group))
            .SetLogHandler((_, m) =>
            {
                var level = KafkaLog.ToLogLevel(m.Level);
                if (_logger.IsEnabled(level))
                {
                    KafkaLog.LibrdkafkaLog(_logger, level, m.Name, m.Facility, m.Message);
                }
            })
            .SetErrorHandler((_, e) => _status.OnClientError(client, e))
            .SetStatisticsHandler((_, json) => _status.OnStatistics(json));
        if (_subscription.Group is not null)
        {
            builder.SetPartitionsAssignedHandler((c, partitions) =>
            {
                var positions = GroupPositions(c, partitions);
                if (positions.Count > 0)
                {
                    SignalStarted();
                }

                return positions;
            });
        }

        try
        {
            return builder.Build();
        }
        catch (Exception ex) when (ex is KafkaException or ArgumentException or InvalidOperationException)
        {
            throw new ClusterTransportException($"Kafka consumer settings rejected: {ex.Message}", ex);
        }
    }

    // Without a group: every partition of every topic at its current end (high watermark), retrying until the
    // metadata and offsets can be read (brokers down, topics still being created).
    private void AssignAtEnd(IConsumer<Ignore, byte[]> consumer)
    {
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        while (true)
        {
            _ct.ThrowIfCancellationRequested();
            try
            {
                var positions = new List<TopicPartitionOffset>();
                foreach (var topic in _topics)
                {
                    var metadata = admin.GetMetadata(topic, RequestTimeout).Topics.Find(t => t.Topic == topic);
                    if (metadata is null || metadata.Error.Code != ErrorCode.NoError || metadata.Partitions.Count == 0)
                    {
                        throw new KafkaException(metadata?.Error ?? new Error(ErrorCode.UnknownTopicOrPart));
                    }

                    foreach (var partition in metadata.Partitions)
                    {
                        var tp = new TopicPartition(topic, partition.PartitionId);
                        positions.Add(new TopicPartitionOffset(tp, consumer.QueryWatermarkOffsets(tp, RequestTimeout).High));
                    }
                }

                consumer.Assign(positions);
                KafkaLog.PartitionsAssigned(_logger, positions.Count, _topicList, Describe(positions));
                SignalStarted();
                return;
            }
            catch (KafkaException ex)
            {
                _status.RecordError(ex.Error.Reason);
                KafkaLog.PositionsUnavailable(_logger, _topicList, ex.Error.Reason);
            }

            _ct.WaitHandle.WaitOne(RetryDelay);
        }
    }

    // In a group: the committed offset of each assigned partition, or its current end when the group has none (what
    // auto.offset.reset=latest would pick, but resolved now so that started means "reading from here").
    private List<TopicPartitionOffset> GroupPositions(IConsumer<Ignore, byte[]> consumer, List<TopicPartition> partitions)
    {
        while (!_ct.IsCancellationRequested)
        {
            try
            {
                var positions = new List<TopicPartitionOffset>(partitions.Count);
                foreach (var committed in consumer.Committed(partitions, RequestTimeout))
                {
                    positions.Add(committed.Offset.IsSpecial
                        ? new TopicPartitionOffset(committed.TopicPartition, consumer.QueryWatermarkOffsets(committed.TopicPartition, RequestTimeout).High)
                        : committed);
                }

                KafkaLog.PartitionsAssigned(_logger, positions.Count, _topicList, Describe(positions));
                return positions;
            }
            catch (KafkaException ex)
            {
                _status.RecordError(ex.Error.Reason);
                KafkaLog.PositionsUnavailable(_logger, _topicList, ex.Error.Reason);
            }

            _ct.WaitHandle.WaitOne(RetryDelay);
        }

        return partitions.ConvertAll(p => new TopicPartitionOffset(p, Offset.Unset));
    }

    private void StoreOffset(IConsumer<Ignore, byte[]> consumer, ConsumeResult<Ignore, byte[]> result)
    {
        try
        {
            consumer.StoreOffset(result);
        }
        catch (KafkaException ex) when (ex.Error.Code == ErrorCode.Local_State)
        {
            // The partition was revoked meanwhile: its next owner reads the message again (at least once).
            KafkaLog.ConsumeError(_logger, _topicList, "offset not stored: " + ex.Error.Reason);
        }
    }

    private void SignalStarted()
    {
        // Off this thread: a continuation of the caller's task must not run on (and block) the consumer thread.
        if (_started is { } started && !started.Task.IsCompleted)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static s => s.TrySetResult(), started, preferLocal: false);
        }
    }

    private void NoteUndecodable(ConsumeResult<Ignore, byte[]> result, string reason)
    {
        var count = ++_undecodable;
        var now = _options.TimeProvider.GetUtcNow();
        if (now - _undecodableLoggedAt < WarningInterval)
        {
            return;
        }

        KafkaLog.UndecodableSkipped(_logger, count - _undecodableLogged, result.Topic, result.Partition.Value, result.Offset.Value, reason);
        _undecodableLogged = count;
        _undecodableLoggedAt = now;
    }

    private void WarnRateLimited(string reason)
    {
        var now = _options.TimeProvider.GetUtcNow();
        if (now - _errorLoggedAt >= WarningInterval)
        {
            _errorLoggedAt = now;
            KafkaLog.ConsumeError(_logger, _topicList, reason);
        }
    }

    private void Close(IConsumer<Ignore, byte[]>? consumer)
    {
        if (consumer is null)
        {
            return;
        }

        try
        {
            // Commits the stored offsets and leaves the group, so a restart resumes where this one stopped.
            consumer.Close();
        }
        catch (KafkaException ex)
        {
            KafkaLog.ConsumeError(_logger, _topicList, "closing: " + ex.Error.Reason);
        }
    }

    private static string Describe(List<TopicPartitionOffset> positions) =>
        string.Join(", ", positions.Select(p => $"{p.Topic}[{p.Partition.Value}]@{p.Offset.Value}"));
}
