using System.Text;
using System.Threading.Channels;

namespace Kukai.Kafka.Tests.Testing;

/// <summary>
/// Lines between a test and a server: <see cref="Reader"/> is the server's stdin (fed by <see cref="Send"/>,
/// ended by <see cref="Close"/>); <see cref="Writer"/> is its stdout (read by <see cref="NextAsync"/>).
/// </summary>
internal sealed class LinePipe
{
    private readonly Channel<string> _input = Channel.CreateUnbounded<string>();
    private readonly Channel<string> _output = Channel.CreateUnbounded<string>();

    public LinePipe()
    {
        Reader = new ChannelReaderText(_input.Reader);
        Writer = new ChannelWriterText(_output.Writer);
    }

    public TextReader Reader { get; }

    public TextWriter Writer { get; }

    public void Send(string line) => _input.Writer.TryWrite(line);

    public void Close() => _input.Writer.TryComplete();

    /// <summary>The next line the server wrote; fails after the deadline.</summary>
    public async Task<string> NextAsync() => await _output.Reader.ReadAsync().AsTask().WaitAsync(MessageCollector.Deadline);

    /// <summary>Sends a command and returns the server's answer.</summary>
    public async Task<string> AskAsync(string command)
    {
        Send(command);
        return await NextAsync();
    }

    // Like Console.In: every read blocks the calling thread, ReadLineAsync included.
    private sealed class ChannelReaderText(ChannelReader<string> lines) : TextReader
    {
        public override string? ReadLine()
        {
            while (lines.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                if (lines.TryRead(out var line))
                {
                    return line;
                }
            }

            return null;
        }

        public override ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) => ValueTask.FromResult(ReadLine());

        public override Task<string?> ReadLineAsync() => Task.FromResult(ReadLine());
    }

    private sealed class ChannelWriterText(ChannelWriter<string> lines) : TextWriter
    {
        private readonly StringBuilder _line = new();

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            lock (_line)
            {
                if (value == '\n')
                {
                    lines.TryWrite(_line.ToString().TrimEnd('\r'));
                    _line.Clear();
                }
                else
                {
                    _line.Append(value);
                }
            }
        }
    }
}
