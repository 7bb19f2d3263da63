using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Kukai.Orchestrator.Tests.Api;

namespace Kukai.Orchestrator.Tests.Auth;

/// <summary>
/// SPEC §6 against a real orchestrator started with <c>--token</c>: every <c>/api</c> route and the seed routes answer
/// 401 problem details without the right bearer token and work with it; the dashboard page needs none.
/// </summary>
[Collection(SecuredClusterCollection.Name)]
public sealed class TokenAuthenticationTests(SecuredClusterFixture cluster)
{
    private const string WrongToken = "kukai-token-9c41e8";

    /// <summary>Every protected route (method, path); <c>{id}</c> is the fixture's finished test.</summary>
    public static TheoryData<string, string> ProtectedRoutes => new()
    {
        { "GET", "api/health" },
        { "GET", "api/drivers" },
        { "POST", "api/tests" },
        { "GET", "api/tests" },
        { "GET", "api/tests/{id}" },
        { "GET", "api/tests/{id}/timeseries" },
        { "POST", "api/tests/{id}/stop" },
        { "GET", "api/tests/{id}/files/summary.json" },
        { "PUT", $"api/tests/{{id}}/drivers/{SecuredClusterFixture.DriverId}/requests.arrow" },
        { "GET", "api/events" },
        { "POST", "start-test" },
        { "GET", "report-stats" },
    };

    /// <summary>Routes are matched without regard to case: so is the check (a bypass found by these tests).</summary>
    public static TheoryData<string, string> MixedCaseRoutes => new()
    {
        { "GET", "API/health" },
        { "GET", "Api/Drivers" },
        { "GET", "api/TESTS/{id}" },
        { "GET", "api/tests/{id}/FILES/summary.json" },
        { "POST", "START-TEST" },
        { "GET", "Report-Stats" },
        { "GET", "api/Events" },
    };

    [Theory]
    [MemberData(nameof(ProtectedRoutes))]
    public async Task ProtectedRoute_NoToken_UnauthorizedProblemWithChallenge(string method, string path)
    {
        using var http = cluster.CreateClient();

        using var response = await SendAsync(http, method, path);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Theory]
    [MemberData(nameof(ProtectedRoutes))]
    public async Task ProtectedRoute_WrongToken_Unauthorized(string method, string path)
    {
        using var http = cluster.CreateClient(WrongToken);

        using var response = await SendAsync(http, method, path);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.DoesNotContain(WrongToken, problem.GetRawText(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(MixedCaseRoutes))]
    public async Task ProtectedRoute_MixedCasePath_StillUnauthorized(string method, string path)
    {
        using var http = cluster.CreateClient();

        using var response = await SendAsync(http, method, path);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("Basic a3VrYWk6a3VrYWk=")]
    [InlineData(SecuredClusterFixture.SecretToken)]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Bearer kukai-token-9c41e")]
    [InlineData("Bearer kukai-token-9c41e77")]
    [InlineData("Bearer " + SecuredClusterFixture.SecretToken + "," + SecuredClusterFixture.SecretToken)]
    [InlineData("Token " + SecuredClusterFixture.SecretToken)]
    public async Task ProtectedRoute_MalformedOrNearMissCredentials_Unauthorized(string authorization)
    {
        using var http = cluster.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/health");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);

        using var response = await http.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("Bearer " + SecuredClusterFixture.SecretToken)]
    [InlineData("bearer " + SecuredClusterFixture.SecretToken)]
    [InlineData("BEARER  " + SecuredClusterFixture.SecretToken + " ")]
    public async Task ProtectedRoute_RightTokenAnySchemeCase_Ok(string authorization)
    {
        using var http = cluster.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/health");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("api/health")]
    [InlineData("api/drivers")]
    [InlineData("api/tests")]
    [InlineData("api/tests/{id}")]
    [InlineData("api/tests/{id}?percentiles=99.99,99.999")]
    [InlineData("api/tests/{id}/timeseries")]
    [InlineData("api/tests/{id}/files/summary.json")]
    [InlineData("api/tests/{id}/files/timeseries.csv")]
    [InlineData("api/tests/{id}/files/report.html")]
    [InlineData("api/events")]
    [InlineData("report-stats")]
    [InlineData("API/Health")]
    public async Task ReadRoute_RightToken_Ok(string path)
    {
        using var http = cluster.CreateClient(SecuredClusterFixture.SecretToken);

        using var response = await SendAsync(http, "GET", path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Upload_RightTokenAfterTheTest_RefusedAsNotExpectedNotUnauthorized()
    {
        using var http = cluster.CreateClient(SecuredClusterFixture.SecretToken);

        using var response = await SendAsync(http, "PUT", $"api/tests/{{id}}/drivers/{SecuredClusterFixture.DriverId}/requests.arrow");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task StartAndStop_RightToken_ApiAndSeedRoutesAccepted()
    {
        using var http = cluster.CreateClient(SecuredClusterFixture.SecretToken);
        await SecuredClusterFixture.WaitForIdleDriverAsync(http);

        var viaApi = await SecuredClusterFixture.StartTestAsync(http, "api/tests", cluster.Plan(100_000));
        using (var stop = await http.PostAsync($"api/tests/{viaApi}/stop", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, stop.StatusCode);
        }

        Assert.Equal("stopped", await SecuredClusterFixture.WaitForEndAsync(http, viaApi));
        await SecuredClusterFixture.WaitForIdleDriverAsync(http);

        var viaSeed = await SecuredClusterFixture.StartTestAsync(http, "start-test", cluster.Plan(20));
        Assert.Equal("completed", await SecuredClusterFixture.WaitForEndAsync(http, viaSeed));
    }

    [Fact]
    public async Task Change_FromAnotherOriginWithTheToken_Served()
    {
        // The bearer token already proves the request is no forgery: the origin check is only for open orchestrators.
        using var http = cluster.CreateClient(SecuredClusterFixture.SecretToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/tests/no-such-test/stop");
        request.Headers.Add("Origin", "http://evil.example");

        using var response = await http.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("api/events", HttpStatusCode.OK)]
    [InlineData("api/tests/{id}/files/summary.json", HttpStatusCode.OK)]
    [InlineData("api/health", HttpStatusCode.Unauthorized)]
    [InlineData("api/tests/{id}", HttpStatusCode.Unauthorized)]
    [InlineData("report-stats", HttpStatusCode.Unauthorized)]
    public async Task QueryToken_OnlyTheEventStreamAndFilesTakeIt(string path, HttpStatusCode expected)
    {
        using var http = cluster.CreateClient();

        using var right = await SendAsync(http, "GET", $"{path}?access_token={SecuredClusterFixture.SecretToken}");
        using var wrong = await SendAsync(http, "GET", $"{path}?access_token={WrongToken}");

        Assert.Equal(expected, right.StatusCode);
        await ProblemAssert.IsProblemAsync(wrong, HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("")]
    [InlineData("assets/app.js")]
    [InlineData("assets/app.css")]
    public async Task Dashboard_NoToken_Served(string path)
    {
        using var http = cluster.CreateClient();

        using var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpClient http, string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{id}", cluster.TestId, StringComparison.Ordinal));
        if (method is "POST" && !path.Contains("/stop", StringComparison.Ordinal))
        {
            // A valid plan: were the check skipped, the test would start (201) instead of 401.
            request.Content = new StringContent(cluster.Plan(10), Encoding.UTF8, "application/json");
        }
        else if (method is "PUT")
        {
            request.Content = new ByteArrayContent([1, 2, 3]);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.apache.arrow.file");
        }

        // The event stream never ends: headers are enough.
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }
}
