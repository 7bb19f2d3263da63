namespace Kukai.Kafka.Tests;

public sealed class KafkaNativeTests
{
    [Fact]
    public void EnsureLoaded_CalledConcurrently_SameLibrdkafkaVersionEveryTime()
    {
        var versions = new string[8];

        Parallel.For(0, versions.Length, i => versions[i] = KafkaNative.EnsureLoaded());

        Assert.Matches(@"^\d+\.\d+\.\d+", versions[0]);
        Assert.All(versions, v => Assert.Equal(versions[0], v));
        Assert.Equal(versions[0], Confluent.Kafka.Library.VersionString);
    }
}
