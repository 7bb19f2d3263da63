using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Kukai.Cli.Commands;

/// <summary>
/// A <c>kukai</c> child process started by <c>kukai demo</c>: same executable, its stdout watched for a ready line, its
/// stderr kept in a log file. Stopped with SIGTERM (then killed) by PID.
/// </summary>
internal sealed partial class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _sync = new();
    private readonly List<string> _lines = [];
    private TaskCompletionSource _line = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(Process process, StreamWriter log, string name)
    {
        _process = process;
        _log = log;
        Name = name;
    }

    public string Name { get; }

    public int Pid => _process.Id;

    /// <summary>Starts <c>kukai ARGS</c>; stderr goes to <paramref name="logPath"/>.</summary>
    public static ChildProcess Start(string name, IEnumerable<string> args, string logPath)
    {
        var psi = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        var entry = typeof(ChildProcess).Assembly.Location;
        if (Path.GetFileNameWithoutExtension(psi.FileName) == "dotnet")
        {
            psi.ArgumentList.Add(entry);
        }

        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["NO_COLOR"] = "1";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logPath))!);
        var log = new StreamWriter(logPath, append: false) { AutoFlush = true };
        var process = new Process { StartInfo = psi };
        var child = new ChildProcess(process, log, name);
        process.OutputDataReceived += (_, e) => child.OnStdout(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (child._sync)
                {
                    log.WriteLine(e.Data);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits for a stdout line matching <paramref name="pattern"/>.</summary>
    public async Task<Match> WaitForLineAsync(Regex pattern, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        var seen = 0;
        while (true)
        {
            Task next;
            lock (_sync)
            {
                for (; seen < _lines.Count; seen++)
                {
                    if (pattern.Match(_lines[seen]) is { Success: true } m)
                    {
                        return m;
                    }
                }

                next = _line.Task;
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} before it was ready (see its log)");
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"{Name} was not ready within {timeout.TotalSeconds:0} s (see its log)");
            }

            await Task.WhenAny(next, Task.Delay(left < TimeSpan.FromMilliseconds(250) ? left : TimeSpan.FromMilliseconds(250), ct)).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, SigTerm);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        _process.Dispose();
        lock (_sync)
        {
            _log.Dispose();
        }
    }

    private void OnStdout(string? line)
    {
        if (line is null)
        {
            return;
        }

        TaskCompletionSource previous;
        lock (_sync)
        {
            _lines.Add(line);
            _log.WriteLine(line);
            previous = _line;
            _line = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }

    private const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
