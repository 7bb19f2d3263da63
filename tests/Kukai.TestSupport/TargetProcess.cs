using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Kukai.TestSupport;

/// <summary>A <c>kukai target</c> process on 127.0.0.1 (port 0 unless given) and its counters.</summary>
public sealed partial class TargetProcess : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private TargetProcess(KukaiProcess process, Uri baseAddress, string? tcp)
    {
        Process = process;
        BaseAddress = baseAddress;
        TcpAddress = tcp;
    }

    public KukaiProcess Process { get; }

    /// <summary>e.g. http://127.0.0.1:41234</summary>
    public Uri BaseAddress { get; }

    /// <summary>e.g. 127.0.0.1:40123, when started with a TCP port.</summary>
    public string? TcpAddress { get; }

    public string PingUrl => new Uri(BaseAddress, "/ping").ToString();

    public int TcpPort => int.Parse(TcpAddress![(TcpAddress!.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    public static async Task<TargetProcess> StartAsync(bool tcp = false, string listen = "127.0.0.1:0", int tcpPort = 0, params string[] extra)
    {
        var args = new List<string> { "target", "--listen", listen };
        if (tcp)
        {
            args.AddRange(["--tcp-port", tcpPort.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        args.AddRange(extra);
        var process = KukaiProcess.Start(args);
        var m = await process.WaitForLineAsync(ReadyLine(), TimeSpan.FromSeconds(60));
        return new TargetProcess(process, new Uri(m.Groups["http"].Value), m.Groups["tcp"].Success ? m.Groups["tcp"].Value : null);
    }

    /// <summary>The target's <c>/metrics</c> JSON.</summary>
    public async Task<JsonElement> MetricsAsync() =>
        await Http.GetFromJsonAsync<JsonElement>(new Uri(BaseAddress, "/metrics"));

    public async Task<long> RequestsReceivedAsync() => (await MetricsAsync()).GetProperty("requestsReceived").GetInt64();

    public ValueTask DisposeAsync() => Process.DisposeAsync();

    [GeneratedRegex(@"^kukai target listening on (?<http>http://\S+?)(?: tcp (?<tcp>\S+))?$")]
    private static partial Regex ReadyLine();
}
