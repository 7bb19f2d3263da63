using System.Text.Json;
using System.Text.Json.Nodes;
using Kukai.Cluster.Messages;
using Kukai.Engine.Metrics;
using Kukai.Engine.Protocols;

namespace Kukai.Cluster.Tests.Messages;

public sealed class CountersDtoTests
{
    private static TargetCounters Sample()
    {
        var c = new TargetCounters { Sent = 6, Dropped = 2 };
        c.Record(new RequestOutcome(ErrorKind.None, 200, 10, 100), 1_000, 900, 100, Lateness.OnTime);
        c.Record(new RequestOutcome(ErrorKind.None, 200, 10, 100), 9_000, 1_000, 8_000, Lateness.ConnectionsBusy);
        c.Record(new RequestOutcome(ErrorKind.None, 200, 10, 100), 7_000, 1_000, 6_000, Lateness.ConnectionsBusy);
        c.Record(RequestOutcome.Failed(ErrorKind.Timeout, 10), 5_000, 2_000, 3_000, Lateness.Behind);
        return c;
    }

    private static CountersDto RoundTrip(CountersDto dto) =>
        JsonSerializer.Deserialize<CountersDto>(JsonSerializer.SerializeToUtf8Bytes(dto, ClusterMessageCodec.Options), ClusterMessageCodec.Options)!;

    [Fact]
    public void TryToCounters_ThroughJson_EveryCounterAndHistogramKept()
    {
        var sent = Sample();

        Assert.True(RoundTrip(CountersDto.From(sent)).TryToCounters(out var got, out var error), error);

        Assert.Equal(
            (sent.Sent, sent.Count, sent.Ok, sent.Late, sent.LateConnectionsBusy, sent.Dropped, sent.BytesSent, sent.BytesReceived),
            (got.Sent, got.Count, got.Ok, got.Late, got.LateConnectionsBusy, got.Dropped, got.BytesSent, got.BytesReceived));
        Assert.Equal((3L, 2L), (got.Late, got.LateConnectionsBusy));
        Assert.Equal(1, got.ErrorsOf(ErrorKind.Timeout));
        Assert.True(sent.Latency.ContentEquals(got.Latency));
        Assert.True(sent.ScheduleLag.ContentEquals(got.ScheduleLag));
    }

    [Fact]
    public void TryToCounters_FromADriverWithoutTheLateSplit_ReadsAsNoneWaitingForAConnection()
    {
        // A driver of an earlier version sends no lateConnectionsBusy: its late requests stay counted, none of them
        // attributed to busy connections.
        var json = JsonNode.Parse(JsonSerializer.SerializeToUtf8Bytes(CountersDto.From(Sample()), ClusterMessageCodec.Options))!.AsObject();
        Assert.True(json.Remove("lateConnectionsBusy"));

        var dto = json.Deserialize<CountersDto>(ClusterMessageCodec.Options)!;

        Assert.True(dto.TryToCounters(out var got, out var error), error);
        Assert.Equal((3L, 0L), (got.Late, got.LateConnectionsBusy));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(4)] // more waiting for a connection than were late
    public void TryToCounters_LateConnectionsBusyOutOfRange_Rejected(long busy)
    {
        var dto = CountersDto.From(Sample()) with { LateConnectionsBusy = busy };

        Assert.False(dto.TryToCounters(out _, out var error));
        Assert.Equal("negative or inconsistent counters", error);
    }
}
