using Kukai.Engine.Health;
using Kukai.Engine.Metrics;
using Kukai.Engine.Protocols;

namespace Kukai.Engine.Tests.Metrics;

public sealed class TargetCountersTests
{
    private static TargetCounters Sample(int n, long us, ErrorKind error = ErrorKind.None)
    {
        var c = new TargetCounters { Sent = n + 1, Dropped = 1 };
        for (var i = 0; i < n; i++)
        {
            c.Record(new RequestOutcome(error, 200, 3, 4), us + i, us, i, Lateness.Behind);
        }

        return c;
    }

    [Fact]
    public void Add_CountersAddHistogramsMerge()
    {
        var a = Sample(3, 100);
        var b = Sample(2, 5000, ErrorKind.Reset);

        a.Add(b);

        Assert.Equal((7L, 5L, 3L, 2L, 15L, 20L, 5L, 2L), (a.Sent, a.Count, a.Ok, a.Errors, a.BytesSent, a.BytesReceived, a.Late, a.Dropped));
        Assert.Equal(2, a.ErrorsOf(ErrorKind.Reset));
        Assert.Equal((5L, 100L, 5001L), (a.Latency.Count, a.Latency.Min, a.Latency.Max));
        Assert.Equal(5, a.ServiceTime.Count);
        Assert.Equal(5, a.ScheduleLag.Count);
    }

    [Fact]
    public void Reset_EverythingZeroAndEmpty()
    {
        var c = Sample(3, 100, ErrorKind.Protocol);

        c.Reset();

        Assert.True(c.IsEmpty);
        Assert.Equal((0L, 0L, 0L, 0L, 0L), (c.Ok, c.Errors, c.BytesSent, c.Late, c.ErrorsOf(ErrorKind.Protocol)));
        Assert.True(c.Latency.IsEmpty && c.ServiceTime.IsEmpty && c.ScheduleLag.IsEmpty);
    }

    [Fact]
    public void Clone_IndependentCopy()
    {
        var c = Sample(3, 100);

        var copy = c.Clone();
        c.Reset();

        Assert.Equal(3, copy.Count);
        Assert.Equal(3, copy.Latency.Count);
    }

    [Fact]
    public void AddErrors_CountsWithoutSamples()
    {
        var c = new TargetCounters();

        c.AddErrors(ErrorKind.Connect, 4);

        Assert.Equal(4, c.ErrorsOf(ErrorKind.Connect));
    }

    [Fact]
    public void IsEmpty_DroppedOnly_NotEmpty()
    {
        Assert.False(new TargetCounters { Dropped = 1 }.IsEmpty);
        Assert.False(new TargetCounters { Sent = 1 }.IsEmpty);
        Assert.True(new TargetCounters().IsEmpty);
    }

    [Fact]
    public void IntervalSnapshot_Total_MergesTargets()
    {
        var snapshot = new IntervalSnapshot(3, 1, [Sample(2, 10), Sample(5, 20)]) { Health = new HostHealth(1, 2, false) };

        var total = snapshot.Total();

        Assert.Equal((7L, 9L, 7L), (total.Count, total.Sent, total.Latency.Count));
    }
}
