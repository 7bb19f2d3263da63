using Kukai.Cluster.Driver;
using Kukai.Cluster.Messages;
using Kukai.Cluster.Transport;
using Kukai.Engine.Plans;
using Kukai.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kukai.Cluster.Tests.Driver;

public sealed class DriverNodeTests
{
    [Fact]
    public async Task Start_TestIdThatIsNotAnId_IgnoredAndTheNextStartRuns()
    {
        var hub = new InProcessHub();
        var bus = hub.CreateTransport();
        using var spoolRoot = new TempDirectory();
        var spool = spoolRoot.Path;
        using var stop = new CancellationTokenSource();
        await using var node = new DriverNode(hub.CreateTransport(), new DriverOptions { DriverId = "d1", SpoolDirectory = Path.Combine(spool, "inner") }, TimeProvider.System, NullLoggerFactory.Instance);
        var acks = new List<AckMessage>();
        var acked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var watching = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var watcher = bus.ConsumeAsync(new ClusterSubscription([ClusterTopic.Status], null), (m, _) =>
        {
            if (m is AckMessage ack)
            {
                lock (acks)
                {
                    acks.Add(ack);
                }

                acked.TrySetResult();
            }

            return Task.CompletedTask;
        }, watching, stop.Token);
        var run = node.RunAsync(stop.Token);
        await node.Ready.WaitAsync(TimeSpan.FromSeconds(10));
        await watching.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var plan = new LoadPlan { Requests = 1, RecordRequests = 1, Targets = [new TargetPlan { Url = "http://127.0.0.1:1/" }] };

        await bus.PublishAsync(ClusterTopic.Control, new StartMessage(plan, ["d1"], DateTimeOffset.UtcNow, null) { TestId = "../../escape" }, default);
        await bus.PublishAsync(ClusterTopic.Control, new StartMessage(plan, ["d1"], DateTimeOffset.UtcNow, null) { TestId = "good-1" }, default);
        await acked.Task.WaitAsync(TimeSpan.FromSeconds(10));

        lock (acks)
        {
            Assert.Equal(["good-1"], acks.Select(a => a.TestId));
        }

        Assert.False(File.Exists(Path.Combine(spool, "..", "escape-d1.arrow")));
        await stop.CancelAsync();
        await run;
        await watcher;
    }

    [Fact]
    public async Task RunAsync_LeftoversOfAKilledProcess_RemovedAndOtherDriversFilesKept()
    {
        using var spool = new TempDirectory();
        foreach (var name in new[] { "t1-d1.reports", "t1-d1.arrow", "t1-d2.reports", "notes.txt" })
        {
            File.WriteAllText(Path.Combine(spool.Path, name), "left behind");
        }

        using var stop = new CancellationTokenSource();
        await using var node = new DriverNode(new InProcessHub().CreateTransport(), new DriverOptions { DriverId = "d1", SpoolDirectory = spool.Path }, TimeProvider.System, NullLoggerFactory.Instance);
        var run = node.RunAsync(stop.Token);
        await node.Ready.WaitAsync(TimeSpan.FromSeconds(10));
        await stop.CancelAsync();
        await run;

        Assert.Equal(["notes.txt", "t1-d2.reports"], Directory.EnumerateFiles(spool.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
