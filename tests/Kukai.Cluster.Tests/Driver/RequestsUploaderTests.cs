using System.Net;
using Kukai.Cluster.Driver;
using Kukai.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kukai.Cluster.Tests.Driver;

public sealed class RequestsUploaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task UploadAsync_NotFoundWhileTheOrchestratorRestarts_TriesAgainAndSucceeds()
    {
        var answers = new Queue<HttpStatusCode>([HttpStatusCode.NotFound, HttpStatusCode.NoContent]);
        using var http = new HttpClient(new Answering(answers));
        var uploader = new RequestsUploader(http, null, TimeProvider.System, NullLogger.Instance);

        var uploaded = await uploader.UploadAsync(new Uri("http://127.0.0.1:9/"), "t1", "d1", Rows(), CancellationToken.None);

        Assert.True(uploaded);
        Assert.Empty(answers);
    }

    [Fact]
    public async Task UploadAsync_Refused_GivesUpAtOnce()
    {
        var answers = new Queue<HttpStatusCode>([HttpStatusCode.Conflict, HttpStatusCode.NoContent]);
        using var http = new HttpClient(new Answering(answers));
        var uploader = new RequestsUploader(http, null, TimeProvider.System, NullLogger.Instance);

        var uploaded = await uploader.UploadAsync(new Uri("http://127.0.0.1:9/"), "t1", "d1", Rows(), CancellationToken.None);

        Assert.False(uploaded);
        Assert.Single(answers);
    }

    private string Rows()
    {
        var path = Path.Combine(_dir.Path, "rows.arrow");
        File.WriteAllBytes(path, [1, 2, 3]);
        return path;
    }

    // The orchestrator's answers, in order (an HTTP stack stand-in: what is under test is the uploader's retry rule).
    private sealed class Answering(Queue<HttpStatusCode> answers) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(answers.Dequeue()));
    }
}
