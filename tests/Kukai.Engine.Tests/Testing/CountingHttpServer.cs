using System.Collections.Concurrent;
using System.Net;
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
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, long> _perPath = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly List<Task> _connections = [];
    private readonly List<Socket> _sockets = [];
    private readonly List<(long Count, TaskCompletionSource Reached)> _waiters = [];
    private readonly Task _acceptLoop;
    private long _requests;
    private long _responses;
    private int _accepted;

    private CountingHttpServer()
    {
        _listener.Start(1024);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>Bytes of every response: <c>HTTP/1.1 NNN Test</c>, a Content-Length header and <c>pong</c>.</summary>
    public const int ResponseLength = 44;

    public int Port { get; }

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

    public int Connections => Volatile.Read(ref _accepted);

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

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        Task[] connections;
        lock (_gate)
        {
            foreach (var socket in _sockets)
            {
                socket.Dispose();
            }

            connections = [.. _connections];
        }

        await Task.WhenAll(connections);
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return; // disposed (a listener already stopped throws InvalidOperationException)
            }

            socket.NoDelay = true;
            Interlocked.Increment(ref _accepted);
            lock (_gate)
            {
                _sockets.Add(socket);
                _connections.Add(Task.Run(() => ServeAsync(socket)));
            }
        }
    }

    private async Task ServeAsync(Socket socket)
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

                    var n = await socket.ReceiveAsync(buffer.AsMemory(end), SocketFlags.None, _stop.Token);
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
                    var n = await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None, _stop.Token);
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
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                }

                if (Delay > TimeSpan.Zero)
                {
                    await Task.Delay(Delay, _stop.Token);
                }

                await socket.SendAsync(response, SocketFlags.None, _stop.Token);
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
