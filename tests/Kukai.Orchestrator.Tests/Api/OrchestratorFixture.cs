using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Kukai.TestSupport;

namespace Kukai.Orchestrator.Tests.Api;

/// <summary>
/// One <c>kukai orchestrator</c> process on 127.0.0.1 port 0 with its embedded development Kafka cluster and a fresh
/// data folder, shared by the tests of a class. Subclasses add flags (a token) or environment variables.
/// </summary>
public partial class OrchestratorFixture : IAsyncLifetime
{
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);

    private readonly TempDirectory _dataDir = new();
    private KukaiProcess? _process;

    public KukaiProcess Process => _process ?? throw new InvalidOperationException("not started");

    /// <summary>The orchestrator's base address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The embedded Kafka cluster's bootstrap list, from the ready line.</summary>
    public string Kafka { get; private set; } = "";

    public string DataDir => _dataDir.Path;

    /// <summary>The token the orchestrator requires; null when open.</summary>
    public virtual string? Token => null;

    /// <summary>Flags after <c>orchestrator --listen 127.0.0.1:0 --data-dir DIR</c>.</summary>
    protected virtual IEnumerable<string> Flags => Token is null ? [] : ["--token", Token];

    protected virtual IDictionary<string, string> Environment => new Dictionary<string, string>();

    /// <summary>An API client; <paramref name="token"/> goes into <c>Authorization: Bearer</c> when given.</summary>
    public HttpClient CreateClient(string? token = null)
    {
        var client = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>Everything the orchestrator printed so far, stdout and stderr.</summary>
    public IEnumerable<string> Output => Process.Stdout.Concat(Process.Stderr);

    public virtual async Task InitializeAsync()
    {
        _process = KukaiProcess.Start(["orchestrator", "--listen", "127.0.0.1:0", "--data-dir", DataDir, .. Flags], environment: Environment);
        var ready = await _process.WaitForLineAsync(ReadyLine(), ReadyTimeout);
        BaseUrl = new Uri(ready.Groups["url"].Value + "/");
        Kafka = ready.Groups["kafka"].Value;
    }

    public virtual async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        _dataDir.Dispose();
    }

    [GeneratedRegex(@"^kukai orchestrator listening on (?<url>http://\S+) kafka (?<kafka>\S+)$")]
    private static partial Regex ReadyLine();
}
