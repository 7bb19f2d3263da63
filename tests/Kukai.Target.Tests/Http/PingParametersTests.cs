using Kukai.Target.Http;

namespace Kukai.Target.Tests.Http;

public sealed class PingParametersTests
{
    [Theory]
    [InlineData("", 0, 200)]
    [InlineData("?", 0, 200)]
    [InlineData("?delay_ms=250", 250, 200)]
    [InlineData("?delay_ms=0.5", 0.5, 200)]
    [InlineData("?status=503", 0, 503)]
    [InlineData("?STATUS=100&delay_ms=3600000", 3_600_000, 100)]
    [InlineData("?status=500&other=x&status=201", 0, 201)]
    [InlineData("?status=%35%30%33", 0, 503)]
    [InlineData("?unknown&x=1", 0, 200)]
    public void TryParse_ValidQuery_ReturnsDelayAndStatus(string query, double delayMs, int status)
    {
        Assert.True(PingParameters.TryParse(query, out var parameters, out var error));

        Assert.Null(error);
        Assert.Equal(TimeSpan.FromMilliseconds(delayMs), parameters.Delay);
        Assert.Equal(status, parameters.Status);
    }

    [Theory]
    [InlineData("?status=20x", "bad query parameter status=20x: must be an integer from 100 to 599")]
    [InlineData("?status", "bad query parameter status=: must be an integer from 100 to 599")]
    [InlineData("?status=+200", "bad query parameter status= 200: must be an integer from 100 to 599")]
    [InlineData("?delay_ms=NaN", "bad query parameter delay_ms=NaN: must be a number of milliseconds from 0 to 3600000")]
    [InlineData("?delay_ms=1e3", "bad query parameter delay_ms=1e3: must be a number of milliseconds from 0 to 3600000")]
    public void TryParse_BadValue_ReturnsErrorNamingParameterValueAndRule(string query, string message)
    {
        Assert.False(PingParameters.TryParse(query, out _, out var error));

        Assert.Equal(message, error);
    }

    [Fact]
    public void TryParse_HugeBadValue_EchoesItTruncated()
    {
        Assert.False(PingParameters.TryParse("?status=" + new string('9', 1000), out _, out var error));

        Assert.Equal($"bad query parameter status={new string('9', 64)}...: must be an integer from 100 to 599", error);
    }
}
