using System.Collections.Immutable;
using System.Reflection;
using Kukai.Engine.Plans;

namespace Kukai.Engine.Tests.Plans;

public sealed class LoadPlanTests
{
    [Fact]
    public void Equals_SameContentInDifferentArrays_EqualWithEqualHashCodes()
    {
        LoadPlan Make() => new()
        {
            Targets = [new TargetPlan { Url = "http://h/" }],
            Headers = [new("A", "1")],
            Stages = [new StagePlan { DurationSeconds = 1, Rps = 2 }],
            Thresholds = ["count > 1"],
        };

        var (a, b) = (Make(), Make());

        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void Equals_NaNValues_EqualLikeRecordEquality()
    {
        var a = new LoadPlan { Rps = double.NaN };

        Assert.Equal(a, a with { });
    }

    [Fact]
    public void Equals_EveryPropertyChanged_NotEqual()
    {
        // Guards the hand-written Equals: a property added to LoadPlan and forgotten there fails here.
        var plan = new LoadPlan();
        var properties = typeof(LoadPlan).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).ToArray();
        Assert.True(properties.Length >= 22);
        foreach (var property in properties)
        {
            var changed = plan with { };
            property.SetValue(changed, Different(property.PropertyType, property.GetValue(plan)));

            Assert.False(plan.Equals(changed), $"changing {property.Name} left the plans equal");
        }
    }

    [Fact]
    public void Defaults_AreThoseOfSpec()
    {
        var plan = new LoadPlan();

        Assert.Equal(TestType.Avalanche, plan.Type);
        Assert.Equal(10_000, plan.TimeoutMs);
        Assert.Equal("GET", plan.Method);
        Assert.Equal(1.0, plan.RecordRequests);
        Assert.True(plan.KeepAlive);
        Assert.True(plan.Targets.IsEmpty);
    }

    private static object Different(Type type, object? current) => type switch
    {
        _ when type == typeof(TestType) => TestType.Tsunami,
        _ when type == typeof(double?) || type == typeof(double) => 12_345.5,
        _ when type == typeof(int?) || type == typeof(int) => 7_777,
        _ when type == typeof(long?) => 88_888L,
        _ when type == typeof(string) => "changed-" + current,
        _ when type == typeof(bool) => !(bool)current!,
        _ when type == typeof(ImmutableArray<TargetPlan>) => ImmutableArray.Create(new TargetPlan { Url = "http://x/" }),
        _ when type == typeof(ImmutableArray<StagePlan>) => ImmutableArray.Create(new StagePlan { DurationSeconds = 1, Rps = 1 }),
        _ when type == typeof(ImmutableArray<string>) => ImmutableArray.Create("count > 0"),
        _ when type == typeof(ImmutableArray<KeyValuePair<string, string>>) => ImmutableArray.Create(KeyValuePair.Create("A", "1")),
        _ => throw new InvalidOperationException($"no different value for {type}"),
    };

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1:9090")]
    [InlineData("::1", "[::1]:9090")]
    [InlineData("[::1]", "[::1]:9090")]
    [InlineData("echo.local", "echo.local:9090")]
    public void TargetKey_RawTcp_AddrAndPortWithIpv6InBrackets(string addr, string key)
    {
        Assert.Equal(key, new TargetPlan { Addr = addr, Port = 9090 }.Key);
    }
}
