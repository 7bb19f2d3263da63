using System.Net.Sockets;

namespace Kukai.Engine.Tests.Testing;

/// <summary>A raw-TCP echo server on 127.0.0.1 port 0 that counts the bytes it echoes.</summary>
internal sealed class EchoTcpServer : IAsyncDisposable
{
    private readonly LoopbackListener _listener;
    private long _bytes;

    public EchoTcpServer() => _listener = new LoopbackListener(EchoAsync);

    public int Port => _listener.Port;

    public long BytesEchoed => Interlocked.Read(ref _bytes);

    public ValueTask DisposeAsync() => _listener.DisposeAsync();

    private async Task EchoAsync(Socket socket, int index, CancellationToken ct)
    {
        var buffer = new byte[4096];
        try
        {
            int n;
            while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, ct)) > 0)
            {
                // Counted before the echo leaves: a client that has its reply then always finds it counted (counted
                // after, a test that read the count as the run ended could miss the last one).
                Interlocked.Add(ref _bytes, n);
                await socket.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, ct);
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
}
