using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;

namespace Kukai.Engine.Tests.Testing;

/// <summary>
/// A small HTTP/1.1 keep-alive server on 127.0.0.1 port 0 that counts every request it receives, exactly, per path.
/// It answers <c>pong</c> with <see cref="Status"/>, after <see cref="Delay"/>, or never (<see cref="Hang"/>), so
/// end-to-end tests can reconcile the engine's counts with the target's to the request.
/// </summary>
internal sealed class CountingHttpServer : IAsyncDisposable
{
    private readonly LoopbackListener _listener;
    private readonly ConcurrentDictionary<string, long> _perPath = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly List<(long Count, TaskCompletionSource Reached)> _waiters = [];
    private long _requests;
    private long _responses;

    private CountingHttpServer() => _listener = new LoopbackListener(ServeAsync);

    /// <summary>Bytes of every response: <c>HTTP/1.1 NNN Test</c>, a Content-Length header and <c>pong</c>.</summary>
    public const int ResponseLength = 44;

    public int Port => _listener.Port;

    /// <summary>HTTP status of every response (default 200).</summary>
    public int Status { get; init; } = 200;

    /// <summary>How long the server waits before answering each request.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Never answer: requests stay unanswered until the client gives up or the server is disposed.</summary>
    public bool Hang { get; init; }

    /// <summary>Complete requests received so far (head and body read).</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Responses written so far.</summary>
    public long Responses => Interlocked.Read(ref _responses);

    public int Connections => _listener.Accepted;

    public static CountingHttpServer Start(int status = 200, TimeSpan delay = default, bool hang = false) =>
        new() { Status = status, Delay = delay, Hang = hang };

    public string Url(string path = "/ping") => $"http://127.0.0.1:{Port}{path}";

    /// <summary>Requests received for one path (query excluded).</summary>
    public long RequestsFor(string path) => _perPath.GetValueOrDefault(path);

    /// <summary>Completes when at least <paramref name="count"/> requests have been received.</summary>
    public Task WaitForRequestsAsync(long count)
    {
        lock (_gate)
        {
            if (Requests >= count)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, reached));
            return reached.Task;
        }
    }

    public ValueTask DisposeAsync() => _listener.DisposeAsync();

    private async Task ServeAsync(Socket socket, int index, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        var response = Encoding.ASCII.GetBytes($"HTTP/1.1 {Status} Test\r\nContent-Length: 4\r\n\r\npong");
        int start = 0, end = 0;
        try
        {
            while (true)
            {
                // One request head (and its Content-Length body) per iteration; the client never pipelines.
                int headEnd;
                while ((headEnd = buffer.AsSpan(start, end - start).IndexOf("\r\n\r\n"u8)) < 0)
                {
                    if (end == buffer.Length)
                    {
                        buffer.AsSpan(start, end - start).CopyTo(buffer);
                        end -= start;
                        start = 0;
                    }

                    var n = await socket.ReceiveAsync(buffer.AsMemory(end), SocketFlags.None, ct);
                    if (n == 0)
                    {
                        return;
                    }

                    end += n;
                }

                var head = Encoding.ASCII.GetString(buffer, start, headEnd);
                var body = ContentLength(head);
                start += headEnd + 4;
                while (end - start < body)
                {
                    body -= end - start;
                    start = end = 0;
                    var n = await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None, ct);
                    if (n == 0)
                    {
                        return;
                    }

                    end = n;
                }

                start += body;
                if (start == end)
                {
                    start = end = 0;
                }

                Count(PathOf(head));
                if (Hang)
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }

                if (Delay > TimeSpan.Zero)
                {
                    await Task.Delay(Delay, ct);
                }

                await socket.SendAsync(response, SocketFlags.None, ct);
                Interlocked.Increment(ref _responses);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The client went away, or the server is shutting down.
        }
        finally
        {
            socket.Dispose();
        }
    }

    private void Count(string path)
    {
        _perPath.AddOrUpdate(path, 1, (_, n) => n + 1);
        var total = Interlocked.Increment(ref _requests);
        lock (_gate)
        {
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (total >= _waiters[i].Count)
                {
                    _waiters[i].Reached.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    private static string PathOf(string head)
    {
        var line = head.AsSpan(0, head.IndexOf('\r') is var cr and >= 0 ? cr : head.Length);
        var first = line.IndexOf(' ');
        var rest = line[(first + 1)..];
        var target = rest[..rest.IndexOf(' ')];
        var query = target.IndexOf('?');
        return (query < 0 ? target : target[..query]).ToString();
    }

    private static int ContentLength(string head)
    {
        foreach (var line in head.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                return int.Parse(line.AsSpan("Content-Length:".Length).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
