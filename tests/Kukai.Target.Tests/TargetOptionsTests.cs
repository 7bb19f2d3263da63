using System.Net;
using Kukai.Target.Tests.Testing;

namespace Kukai.Target.Tests;

public sealed class TargetOptionsTests
{
    [Fact]
    public void Validate_Defaults_ReturnsNoErrors()
    {
        var options = new TargetOptions();

        Assert.Empty(options.Validate());
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 8080), options.HttpEndPoint);
        Assert.Null(options.TcpEndPoint);
    }

    [Fact]
    public void Validate_ValidStall_ReturnsNoErrors()
    {
        Assert.Empty(new TargetOptions { StallMs = 999, StallEveryMs = 1000 }.Validate());
    }

    [Fact]
    public void Validate_StallMsWithoutStallEveryMs_NamesBothFlags()
    {
        var errors = new TargetOptions { StallMs = 100 }.Validate();

        Assert.Equal(["--stall-ms 100: needs --stall-every-ms (the period of the freezes) as well"], errors);
    }

    [Fact]
    public void Validate_StallEveryMsWithoutStallMs_NamesBothFlags()
    {
        var errors = new TargetOptions { StallEveryMs = 1000 }.Validate();

        Assert.Equal(["--stall-every-ms 1000: needs --stall-ms (the length of each freeze) as well"], errors);
    }

    [Theory]
    [InlineData(1000, 1000)]
    [InlineData(1500, 1000)]
    public void Validate_StallMsNotLessThanPeriod_NamesFlagValueAndRule(int stallMs, int everyMs)
    {
        var errors = new TargetOptions { StallMs = stallMs, StallEveryMs = everyMs }.Validate();

        Assert.Equal([$"--stall-ms {stallMs}: must be less than --stall-every-ms ({everyMs}), or the server would never answer"], errors);
    }

    [Fact]
    public void Validate_SeveralProblems_ReturnsEveryErrorAtOnce()
    {
        var options = new TargetOptions
        {
            StallMs = -5,
            StallEveryMs = -1,
            TcpEndPoint = new IPEndPoint(IPAddress.Loopback, 8080),
            ShutdownTimeout = TimeSpan.FromSeconds(-1),
        };

        Assert.Equal(
            [
                "--stall-ms -5: must be 0 (never stall) or a positive number of milliseconds",
                "--stall-every-ms -1: must be 0 (never stall) or a positive number of milliseconds",
                "--tcp-port 8080: must differ from the HTTP port of --listen (127.0.0.1:8080)",
                "ShutdownTimeout -00:00:01: must not be negative",
            ],
            options.Validate());
    }

    [Fact]
    public void Validate_TcpPortEqualsHttpPortOnWildcard_NamesTcpPort()
    {
        var options = new TargetOptions
        {
            HttpEndPoint = new IPEndPoint(IPAddress.Any, 9000),
            TcpEndPoint = new IPEndPoint(IPAddress.Loopback, 9000),
        };

        Assert.Equal(["--tcp-port 9000: must differ from the HTTP port of --listen (0.0.0.0:9000)"], options.Validate());
    }

    [Fact]
    public void Validate_BothPortsZero_ReturnsNoErrors()
    {
        Assert.Empty(TestServers.LoopbackOptions(tcp: true).Validate());
    }

    [Fact]
    public void Validate_MissingHttpEndPoint_NamesListen()
    {
        Assert.Equal(["--listen: must be set to HOST:PORT"], new TargetOptions { HttpEndPoint = null! }.Validate());
    }

    [Fact]
    public async Task StartAsync_InvalidOptions_ThrowsWithEveryError()
    {
        var options = TestServers.LoopbackOptions() with { StallMs = -1, StallEveryMs = -2 };

        var e = await Assert.ThrowsAsync<ArgumentException>(() => TestServers.StartAsync(options));

        Assert.Contains("--stall-ms -1", e.Message, StringComparison.Ordinal);
        Assert.Contains("--stall-every-ms -2", e.Message, StringComparison.Ordinal);
    }
}
