namespace Kukai.Target.Tests;

public sealed class TargetCountersTests
{
    [Fact]
    public void Counters_IncrementedFromManyThreads_SumExactly()
    {
        var counters = new TargetCounters(tcpEnabled: true);
        const int PerThread = 100_000;

        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                counters.RequestStarted();
                counters.AddBytesReceived(3);
                counters.ResponseCompleted(i % 2 == 0 ? 200 : 503);
                counters.TcpRead(2);
                counters.TcpSent(2);
            }
        });

        var snapshot = counters.Snapshot();
        Assert.Equal(8 * PerThread, snapshot.RequestsReceived);
        Assert.Equal(8 * PerThread, snapshot.ResponsesSent);
        Assert.Equal(3 * 8 * PerThread, snapshot.BytesReceived);
        Assert.Equal(0, snapshot.InFlight);
        Assert.Equal(new Dictionary<int, long> { [200] = 4 * PerThread, [503] = 4 * PerThread }, snapshot.StatusCounts);
        Assert.Equal(new TcpCountersSnapshot(0, 0, 8 * PerThread, 16 * PerThread, 16 * PerThread), snapshot.Tcp);
    }

    [Fact]
    public void Reset_WithGauges_ReturnsZeroedValuesAndKeepsGauges()
    {
        var counters = new TargetCounters(tcpEnabled: true);
        counters.RequestStarted();
        counters.RequestStarted();
        counters.ResponseCompleted(200);
        counters.RequestStarted();
        counters.RequestAborted();
        counters.TcpConnectionOpened();
        counters.Stalled(window: 4);

        var zeroed = counters.Reset();
        var after = counters.Snapshot();

        Assert.Equal(3, zeroed.RequestsReceived);
        Assert.Equal(1, zeroed.ResponsesSent);
        Assert.Equal(1, zeroed.RequestsAborted);
        Assert.Equal(1, zeroed.Stalls);
        Assert.Equal(1, zeroed.InFlight);
        Assert.Equal(new TcpCountersSnapshot(1, 1, 0, 0, 0), zeroed.Tcp);
        Assert.Equal(0, after.RequestsReceived);
        Assert.Equal(0, after.ResponsesSent);
        Assert.Equal(0, after.Stalls);
        Assert.Empty(after.StatusCounts);
        Assert.Equal(1, after.InFlight);
        Assert.Equal(new TcpCountersSnapshot(0, 1, 0, 0, 0), after.Tcp);
    }

    [Fact]
    public void Stalled_SameWindowAfterReset_IsNotCountedAgain()
    {
        var counters = new TargetCounters(tcpEnabled: false);
        counters.Stalled(window: 2);
        counters.Reset();

        counters.Stalled(window: 2);
        counters.Stalled(window: 1);

        Assert.Equal(0, counters.Stalls);
        Assert.Equal(2, counters.StalledRequests);
    }

    [Fact]
    public void Snapshot_TcpDisabled_HasNullTcp()
    {
        Assert.Null(new TargetCounters(tcpEnabled: false).Snapshot().Tcp);
    }

    [Theory]
    [InlineData(99)]
    [InlineData(600)]
    [InlineData(0)]
    public void GetStatusCount_OutOfRange_ReturnsZero(int status)
    {
        Assert.Equal(0, new TargetCounters(tcpEnabled: false).GetStatusCount(status));
    }
}
