using Kukai.Engine.Execution;

namespace Kukai.Engine.Tests.Execution;

public sealed class RunContextTests
{
    [Theory]
    [InlineData(0, 1, 0.0)]
    [InlineData(0, 4, 0.0)]
    [InlineData(1, 4, 0.25)]
    [InlineData(3, 4, 0.75)]
    [InlineData(2, 3, 2.0 / 3)]
    public void Phase_IndexOverCount(int index, int count, double phase)
    {
        Assert.Equal(phase, new RunContext("d", index, count).Phase, 12);
    }

    [Fact]
    public void Phase_SingleOrNoDrivers_Zero()
    {
        Assert.Equal(0, new RunContext("d", 5, 1).Phase);
        Assert.Equal(0, new RunContext("d", 0, 0).Phase);
    }
}
