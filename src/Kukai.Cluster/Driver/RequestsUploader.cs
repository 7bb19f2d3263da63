using System.Net.Http.Headers;
using Kukai.Cluster.Logging;
using Microsoft.Extensions.Logging;

namespace Kukai.Cluster.Driver;

/// <summary>
/// Sends a driver's per-request Arrow file to the orchestrator after its test
/// (<c>PUT /api/tests/{id}/drivers/{driverId}/requests.arrow</c>), retrying with back-off.
/// </summary>
internal sealed class RequestsUploader(HttpClient http, string? token, TimeProvider time, ILogger logger)
{
    private const int Attempts = 6;

    public async Task<bool> UploadAsync(Uri baseUrl, string testId, string driverId, string path, CancellationToken ct)
    {
        var url = new Uri(baseUrl, $"api/tests/{Uri.EscapeDataString(testId)}/drivers/{Uri.EscapeDataString(driverId)}/requests.arrow");
        var delay = TimeSpan.FromMilliseconds(500);
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            try
            {
                await using var file = File.OpenRead(path);
                using var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = new StreamContent(file) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.apache.arrow.file");
                if (token is not null)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                }

                using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }

                ClusterLog.UploadFailed(logger, testId, attempt, $"HTTP {(int)response.StatusCode} from {url.GetLeftPart(UriPartial.Path)}");
                // Refused: retrying will not help. Not a 404: an orchestrator restarting answers it until it has loaded
                // its tests again.
                if ((int)response.StatusCode is >= 400 and < 500 and not 404 and not 408 and not 429)
                {
                    return false;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                ClusterLog.UploadFailed(logger, testId, attempt, ex.Message);
            }

            if (attempt < Attempts)
            {
                await Task.Delay(delay, time, ct).ConfigureAwait(false); // not after the last: nothing follows it
                delay *= 2;
            }
        }

        return false;
    }
}
