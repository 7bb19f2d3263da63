using Kukai.Engine.Plans;

namespace Kukai.Engine.Tests.Plans;

public sealed class PlanRedactionTests
{
    [Theory]
    [InlineData("http://h/ping?token=abc&page=2", "http://h/ping?token=***&page=2")]
    [InlineData("http://h/p?page=2&API_KEY=abc", "http://h/p?page=2&API_KEY=***")]
    [InlineData("http://h/p?api%5Fkey=abc", "http://h/p?api%5Fkey=***")]
    [InlineData("http://h/p?key=a&sig=b&monkey=c", "http://h/p?key=***&sig=***&monkey=c")]
    [InlineData("https://b.s3.example/o?X-Amz-Credential=c&X-Amz-Signature=s&X-Amz-Expires=60", "https://b.s3.example/o?X-Amz-Credential=***&X-Amz-Signature=***&X-Amz-Expires=60")]
    [InlineData("http://h/p?access_token=abc#top", "http://h/p?access_token=***#top")]
    public void RedactUrl_SecretQueryValues_MaskedRestAsWritten(string url, string expected)
    {
        Assert.Equal(expected, PlanRedaction.RedactUrl(url));
    }

    [Theory]
    [InlineData("http://h/ping")]
    [InlineData("http://h/ping?page=2&q=token")]
    [InlineData("http://h/ping?token=&flag")]
    [InlineData("http://h/ping?")]
    public void RedactUrl_NoSecretValue_SameString(string url)
    {
        Assert.Same(url, PlanRedaction.RedactUrl(url));
    }

    [Fact]
    public void Key_SecretQueryValue_MaskedButUrlKept()
    {
        var target = new TargetPlan { Url = "http://h/ping?token=abc" };

        Assert.Equal("http://h/ping?token=***", target.Key);
        Assert.Equal("http://h/ping?token=abc", target.Url);
    }

    [Fact]
    public void Redact_SecretTargetUrlAndHeader_BothMaskedOthersKept()
    {
        var plan = new LoadPlan
        {
            Targets = [new TargetPlan { Url = "http://a/ping?password=p&x=1" }, new TargetPlan { Url = "http://b/ping" }, new TargetPlan { Addr = "127.0.0.1", Port = 9 }],
            Headers = [new("Authorization", "Bearer t"), new("X-Trace", "v")],
        };

        var redacted = PlanRedaction.Redact(plan);

        Assert.Equal(["http://a/ping?password=***&x=1", "http://b/ping", null], redacted.Targets.Select(t => t.Url));
        Assert.Equal(9, redacted.Targets[2].Port);
        Assert.Equal(["***", "v"], redacted.Headers.Select(h => h.Value));
        Assert.Equal("http://a/ping?password=p&x=1", plan.Targets[0].Url);
    }

    [Fact]
    public void Redact_NothingSecret_SameInstance()
    {
        var plan = new LoadPlan { Targets = [new TargetPlan { Url = "http://a/ping?page=1" }], Headers = [new("X-Trace", "v")] };

        Assert.Same(plan, PlanRedaction.Redact(plan));
    }
}
