using Kukai.Engine.Plans;

namespace Kukai.Engine.Tests.Plans;

public sealed class LoadPlanValidatorTests
{
    private static readonly LoadPlan Valid = new()
    {
        Requests = 100,
        Targets = [new TargetPlan { Url = "http://127.0.0.1:8080/ping" }],
    };

    private static readonly LoadPlan ValidTsunami = Valid with { Type = TestType.Tsunami, DelayMs = 0.5 };

    private static readonly LoadPlan ValidTcp = Valid with
    {
        Targets = [new TargetPlan { Addr = "127.0.0.1", Port = 9090 }],
        Payload = "ping\n",
    };

    private static IReadOnlyList<string> Fields(LoadPlan plan) =>
        [.. LoadPlanValidator.Validate(plan).Select(e => e.Field)];

    private static PlanError Single(LoadPlan plan)
    {
        var errors = LoadPlanValidator.Validate(plan);
        return Assert.Single(errors);
    }

    [Fact]
    public void Validate_MinimalPlans_NoErrors()
    {
        Assert.Empty(LoadPlanValidator.Validate(Valid));
        Assert.Empty(LoadPlanValidator.Validate(ValidTsunami));
        Assert.Empty(LoadPlanValidator.Validate(ValidTcp));
        Assert.Empty(LoadPlanValidator.Validate(ValidTsunami with { DelayMs = null, Rps = 1000 }));
        Assert.Empty(LoadPlanValidator.Validate(Valid with { Requests = null, DurationSeconds = 0.25 }));
        Assert.Empty(LoadPlanValidator.Validate(Valid with { Rps = 50, Concurrency = 4 }));
    }

    [Fact]
    public void Validate_ManyProblems_ReportsEveryOneAtOnce()
    {
        var plan = new LoadPlan
        {
            Type = TestType.Tsunami,
            DelayMs = -1,
            Rps = 5,
            Concurrency = 0,
            TimeoutMs = 0,
            Method = "GE T",
            HttpVersion = "3",
            Drivers = 0,
            RecordRequests = 2,
            Thresholds = ["p99_ms < 250", "latency fast"],
            Targets = [new TargetPlan { Url = "ftp://x/" }, new TargetPlan { Url = "http://h/", Weight = 0 }],
        };

        var fields = Fields(plan);

        Assert.Equal(
            ["delay_ms", "delay_ms", "concurrency", "requests", "timeout_ms", "targets[0].url", "targets[1].weight",
             "method", "http_version", "drivers", "thresholds[1]", "record_requests"],
            fields);
    }

    [Fact]
    public void Validate_SameTargetTwice_SecondNamedWithTheFirst()
    {
        var url = "http://127.0.0.1:8080/ping?token=a";
        var plan = Valid with
        {
            Targets = [new TargetPlan { Url = url }, new TargetPlan { Url = "http://127.0.0.1:8080/other" }, new TargetPlan { Url = "http://127.0.0.1:8080/ping?token=b", Weight = 2 }],
        };

        // The same once its secret is masked: results would name both "…?token=***".
        var error = Single(plan);

        Assert.Equal("targets[2].url", error.Field);
        Assert.Contains("same target as targets[0]", error.Message, StringComparison.Ordinal);
        Assert.Empty(LoadPlanValidator.Validate(ValidTcp with { Targets = [.. ValidTcp.Targets, ValidTcp.Targets[0] with { Port = ValidTcp.Targets[0].Port + 1 }] }));
        Assert.Equal("targets[1].addr", Single(ValidTcp with { Targets = [.. ValidTcp.Targets, ValidTcp.Targets[0]] }).Field);
    }

    [Fact]
    public void Validate_Error_NamesFieldValueAndRule()
    {
        var error = Single(Valid with { Concurrency = 2_000_000 });

        Assert.Equal("concurrency", error.Field);
        Assert.Equal("2000000", error.Value);
        Assert.Contains("between 1 and 1000000", error.Message, StringComparison.Ordinal);
        Assert.Equal("concurrency: 2000000 must be between 1 and 1000000", error.ToString());
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-5.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(3_600_001.0)]
    [InlineData(1e-9)] // faster than the 10 000 000 requests/s rps allows
    [InlineData(5e-324)]
    public void Validate_TsunamiDelayOutOfRange_DelayError(double delay)
    {
        Assert.Equal("delay_ms", Single(ValidTsunami with { DelayMs = delay }).Field);
    }

    [Fact]
    public void Validate_TsunamiDelayAtTheMaximumRate_Valid()
    {
        Assert.Empty(LoadPlanValidator.Validate(ValidTsunami with { DelayMs = 0.0001 }));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(10_000_001.0)]
    public void Validate_RpsOutOfRange_RpsError(double rps)
    {
        Assert.Equal("rps", Single(Valid with { Rps = rps }).Field);
    }

    [Fact]
    public void Validate_TsunamiWithDelayAndRps_AsksForOne()
    {
        var error = Single(ValidTsunami with { Rps = 100 });

        Assert.Equal("delay_ms", error.Field);
        Assert.Contains("give one of them", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TsunamiWithoutRate_RequiresDelay()
    {
        var error = Single(ValidTsunami with { DelayMs = null });

        Assert.Equal(("delay_ms", (string?)null), (error.Field, error.Value));
        Assert.Contains("required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TsunamiWithRpsStagesOnly_NoError()
    {
        var plan = ValidTsunami with { DelayMs = null, Requests = null, Stages = [new StagePlan { DurationSeconds = 5, Rps = 100 }] };

        Assert.Empty(LoadPlanValidator.Validate(plan));
    }

    [Fact]
    public void Validate_TsunamiConcurrencyStages_StagesError()
    {
        var plan = ValidTsunami with { Stages = [new StagePlan { DurationSeconds = 5, Concurrency = 10 }] };

        Assert.Equal("stages", Single(plan).Field);
    }

    [Fact]
    public void Validate_AvalancheWithDelay_DelayError()
    {
        var error = Single(Valid with { DelayMs = 5 });

        Assert.Equal("delay_ms", error.Field);
        Assert.Contains("tsunami tests only", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1_000_001)]
    public void Validate_ConcurrencyOutOfRange_ConcurrencyError(int concurrency)
    {
        Assert.Equal("concurrency", Single(Valid with { Concurrency = concurrency }).Field);
    }

    [Fact]
    public void Validate_ConnectionsOnAvalanche_ConnectionsError()
    {
        var error = Single(Valid with { Connections = 4 });

        Assert.Equal("connections", error.Field);
        Assert.Contains("tsunami tests only", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100_001)]
    public void Validate_TsunamiConnectionsOutOfRange_ConnectionsError(int connections)
    {
        Assert.Equal("connections", Single(ValidTsunami with { Connections = connections }).Field);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-3L)]
    [InlineData(1_000_000_000_001L)]
    public void Validate_RequestsOutOfRange_RequestsError(long requests)
    {
        Assert.Equal("requests", Single(Valid with { Requests = requests }).Field);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(double.NaN)]
    [InlineData(604_801.0)]
    public void Validate_DurationOutOfRange_DurationError(double seconds)
    {
        Assert.Equal("duration_seconds", Single(Valid with { DurationSeconds = seconds }).Field);
    }

    [Fact]
    public void Validate_NoBound_RequiresRequestsOrDuration()
    {
        var error = Single(Valid with { Requests = null });

        Assert.Equal("requests", error.Field);
        Assert.Contains("must end by itself", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_StagesOnly_AreABound()
    {
        var plan = Valid with { Requests = null, Stages = [new StagePlan { DurationSeconds = 2, Concurrency = 3 }] };

        Assert.Empty(LoadPlanValidator.Validate(plan));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3_600_001)]
    public void Validate_TimeoutOutOfRange_TimeoutError(int timeoutMs)
    {
        Assert.Equal("timeout_ms", Single(Valid with { TimeoutMs = timeoutMs }).Field);
    }

    [Fact]
    public void Validate_NoTargets_TargetsError()
    {
        Assert.Equal("targets", Single(Valid with { Targets = [] }).Field);
    }

    [Fact]
    public void Validate_DefaultArrays_ReportedAsEmptyNotThrown()
    {
        var plan = ValidTsunami with { Targets = default, Stages = default, Headers = default, Thresholds = default };

        Assert.Equal("targets", Single(plan).Field);
        Assert.True(plan.Stages.IsEmpty);
        Assert.True(plan.Headers.IsEmpty);
        Assert.True(plan.Thresholds.IsEmpty);
    }

    [Theory]
    [InlineData("ftp://host/x")]
    [InlineData("/relative")]
    [InlineData("http://")]
    [InlineData("http://user:pw@host/")]
    [InlineData("http://host/#frag")]
    [InlineData("http://127.0.0.1:0/ping")]
    public void Validate_BadUrl_UrlErrorWithIndex(string url)
    {
        var plan = Valid with { Targets = [new TargetPlan { Url = "http://ok/" }, new TargetPlan { Url = url }] };

        var error = Single(plan);

        Assert.Equal("targets[1].url", error.Field);
        Assert.Equal(url, error.Value);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Validate_BadWeight_WeightErrorWithIndex(double weight)
    {
        var plan = Valid with { Targets = [new TargetPlan { Url = "http://ok/" }, new TargetPlan { Url = "http://ok/2", Weight = weight }] };

        Assert.Equal("targets[1].weight", Single(plan).Field);
    }

    [Fact]
    public void Validate_UrlAndAddr_TargetError()
    {
        var plan = Valid with { Targets = [new TargetPlan { Url = "http://ok/", Addr = "h", Port = 1 }] };

        Assert.Equal("targets[0]", Single(plan).Field);
    }

    [Fact]
    public void Validate_TcpTargetProblems_AddrPortAndPayloadErrors()
    {
        var plan = Valid with
        {
            Targets = [new TargetPlan { Addr = " ", Port = 0 }, new TargetPlan { Addr = "bad host!", Port = 70000 }, new TargetPlan { Addr = "h" }],
        };

        Assert.Equal(
            ["targets[0].addr", "targets[0].port", "targets[1].addr", "targets[1].port", "targets[2].port", "payload"],
            Fields(plan));
    }

    [Fact]
    public void Validate_StageProblems_EachNamedByIndex()
    {
        var plan = Valid with
        {
            Stages =
            [
                new StagePlan { DurationSeconds = 0, Rps = 10 },
                new StagePlan { DurationSeconds = 1 },
                new StagePlan { DurationSeconds = 1, Rps = 1, Concurrency = 1 },
                new StagePlan { DurationSeconds = 1, Rps = -1 },
                new StagePlan { DurationSeconds = 1, Concurrency = -1 },
            ],
        };

        Assert.Equal(
            ["stages[0].duration_seconds", "stages[1]", "stages[2]", "stages[3].rps", "stages[4].concurrency", "stages"],
            Fields(plan));
    }

    [Fact]
    public void Validate_RpsCeilingWithConcurrencyStages_StagesError()
    {
        var plan = Valid with { Rps = 100, Stages = [new StagePlan { DurationSeconds = 5, Concurrency = 10 }] };

        var error = Single(plan);

        Assert.Equal("stages", error.Field);
        Assert.Contains("rps ceiling", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AvalancheRpsStagesWithConcurrency_NoError()
    {
        var plan = Valid with { Concurrency = 4, Stages = [new StagePlan { DurationSeconds = 5, Rps = 10 }] };

        Assert.Empty(LoadPlanValidator.Validate(plan));
    }

    [Fact]
    public void Validate_StagesRampingToZero_NoError()
    {
        var plan = Valid with { Stages = [new StagePlan { DurationSeconds = 1, Rps = 10 }, new StagePlan { DurationSeconds = 1, Rps = 0 }] };

        Assert.Empty(LoadPlanValidator.Validate(plan));
    }

    [Theory]
    [InlineData("")]
    [InlineData("GET /")]
    [InlineData("GÉT")]
    public void Validate_BadMethod_MethodError(string method)
    {
        Assert.Equal("method", Single(Valid with { Method = method }).Field);
    }

    [Fact]
    public void Validate_BadHeaders_EachHeaderNamed()
    {
        var plan = Valid with
        {
            Headers = [new("X-Ok", "fine"), new("Bad Name", "v"), new("X-Split", "a\r\nInjected: 1"), new("X-Nul", "a\0")],
        };

        Assert.Equal(["headers.Bad Name", "headers.X-Split", "headers.X-Nul"], Fields(plan));
    }

    [Theory]
    [InlineData("Content-Length")]
    [InlineData("content-length")]
    [InlineData("Transfer-Encoding")]
    public void Validate_BodyFramingHeader_HeaderError(string name)
    {
        var error = Single(Valid with { Headers = [new(name, "5")] });

        Assert.Equal($"headers.{name}", error.Field);
        Assert.Contains("set from the payload", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DelimiterLongerThanChannelsAccept_DelimiterError()
    {
        Assert.Empty(LoadPlanValidator.Validate(ValidTcp with { ResponseDelimiter = new string('x', 4096) }));
        Assert.Equal("response_delimiter", Single(ValidTcp with { ResponseDelimiter = new string('x', 4097) }).Field);
        Assert.Equal("response_delimiter", Single(ValidTcp with { ResponseDelimiter = new string('é', 2049) }).Field);
    }

    [Theory]
    [InlineData("1.0")]
    [InlineData("2.0")]
    [InlineData("")]
    public void Validate_BadHttpVersion_VersionError(string version)
    {
        Assert.Equal("http_version", Single(Valid with { HttpVersion = version }).Field);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100_001)]
    public void Validate_DriversOutOfRange_DriversError(int drivers)
    {
        Assert.Equal("drivers", Single(Valid with { Drivers = drivers }).Field);
    }

    [Fact]
    public void Validate_BadThreshold_ThresholdErrorWithIndexAndReason()
    {
        var error = Single(Valid with { Thresholds = ["p99_ms < 250", "error_rate < 0.01", "p99_sec < 1"] });

        Assert.Equal("thresholds[2]", error.Field);
        Assert.Contains("unknown metric 'p99_sec'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Validate_RecordFractionOutOfRange_RecordRequestsError(double fraction)
    {
        Assert.Equal("record_requests", Single(Valid with { RecordRequests = fraction }).Field);
    }

    [Fact]
    public void Validate_ResponseBytesAndDelimiter_AsksForOne()
    {
        var error = Single(ValidTcp with { ResponseBytes = 4, ResponseDelimiter = "\n" });

        Assert.Equal("response_bytes", error.Field);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(67_108_865)]
    public void Validate_ResponseBytesOutOfRange_ResponseBytesError(int bytes)
    {
        Assert.Equal("response_bytes", Single(ValidTcp with { ResponseBytes = bytes }).Field);
    }

    [Fact]
    public void Validate_EmptyDelimiter_DelimiterError()
    {
        Assert.Equal("response_delimiter", Single(ValidTcp with { ResponseDelimiter = "" }).Field);
    }

    [Fact]
    public void Validate_TcpOptionsWithHttpTargetsOnly_Errors()
    {
        Assert.Equal("response_bytes", Single(Valid with { ResponseBytes = 4 }).Field);
        Assert.Equal("response_delimiter", Single(Valid with { ResponseDelimiter = "\n" }).Field);
        Assert.Equal("keep_alive", Single(Valid with { KeepAlive = false }).Field);
    }

    [Fact]
    public void Validate_DoesNotChangeThePlan()
    {
        var plan = Valid with { Concurrency = 0, Targets = [new TargetPlan { Url = "bad" }] };
        var copy = plan with { };

        _ = LoadPlanValidator.Validate(plan);

        Assert.Equal(copy, plan);
    }
}
