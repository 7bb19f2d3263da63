using Kukai.Cluster.Messages;

namespace Kukai.Kafka.Tests.Testing;

/// <summary>A consume handler that keeps every message and lets a test wait, with a deadline, for a condition on them.</summary>
internal sealed class MessageCollector
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly Lock _sync = new();
    private readonly List<ClusterMessage> _messages = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task HandleAsync(ClusterMessage message, CancellationToken ct)
    {
        TaskCompletionSource changed;
        lock (_sync)
        {
            _messages.Add(message);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
        return Task.CompletedTask;
    }

    public IReadOnlyList<ClusterMessage> Snapshot()
    {
        lock (_sync)
        {
            return [.. _messages];
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds on the messages so far; fails after <see cref="Deadline"/>.</summary>
    public async Task<IReadOnlyList<ClusterMessage>> WaitUntilAsync(Func<IReadOnlyList<ClusterMessage>, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            Task changed;
            lock (_sync)
            {
                if (condition(_messages))
                {
                    return [.. _messages];
                }

                changed = _changed.Task;
            }

            var remaining = deadline - DateTime.UtcNow;
            try
            {
                await changed.WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
            }
            catch (TimeoutException)
            {
                Assert.Fail($"timed out waiting for {what}; got {Snapshot().Count} messages: {Describe(Snapshot())}");
            }
        }
    }

    /// <summary>Waits until messages with every one of <paramref name="seqs"/> (for <paramref name="driverId"/>) arrived.</summary>
    public Task<IReadOnlyList<ClusterMessage>> WaitForSeqsAsync(string driverId, IEnumerable<long> seqs)
    {
        var wanted = seqs.ToHashSet();
        return WaitUntilAsync(
            ms => wanted.IsSubsetOf(ms.Where(m => m.DriverId == driverId).Select(m => m.Seq)),
            $"{driverId} seqs {string.Join(',', wanted.Order())}");
    }

    public static string Describe(IEnumerable<ClusterMessage> messages) => string.Join(" ", messages.Select(m => $"{m.DriverId}#{m.Seq}"));
}
