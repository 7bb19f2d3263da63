using System.Text.Json;
using Kukai.Engine.Health;

namespace Kukai.Engine.Tests.Health;

public sealed class HostHealthTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    [Fact]
    public void Serialize_MachineCpuUnknown_NullAndReadBackAsUnknown()
    {
        var json = JsonSerializer.Serialize(new HostHealth(12.5, double.NaN, false), Web);
        var back = JsonSerializer.Deserialize<HostHealth>(json, Web)!;

        Assert.Equal("""{"processCpuPercent":12.5,"machineCpuPercent":null,"saturated":false}""", json);
        Assert.True(double.IsNaN(back.MachineCpuPercent));
        Assert.Equal(12.5, back.ProcessCpuPercent);
    }

    [Theory]
    [InlineData("""{"processCpuPercent":1,"machineCpuPercent":"NaN","saturated":false}""", double.NaN)]
    [InlineData("""{"processCpuPercent":1,"machineCpuPercent":40.25,"saturated":false}""", 40.25)]
    public void Deserialize_KnownOrAsOlderVersionsWroteIt_ReadsTheValue(string json, double expected)
    {
        Assert.Equal(expected, JsonSerializer.Deserialize<HostHealth>(json, Web)!.MachineCpuPercent);
    }
}
