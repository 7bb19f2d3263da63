using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Kukai.TestSupport;

/// <summary>
/// A whole <c>kukai</c> process (the build's <c>kukai.dll</c> under <c>dotnet</c>), its output captured line by line.
/// Tests wait for ready lines with deadlines, never sleep. Disposal ends the process by PID if it still runs.
/// </summary>
public sealed partial class KukaiProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _stdout = [];
    private readonly List<string> _stderr = [];
    private readonly Lock _sync = new();
    private TaskCompletionSource _lineArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;

    private KukaiProcess(Process process, string commandLine)
    {
        _process = process;
        CommandLine = commandLine;
    }

    public string CommandLine { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Path of the kukai.dll built with the tests.</summary>
    public static string DllPath => Path.Combine(AppContext.BaseDirectory, "kukai.dll");

    public static KukaiProcess Start(IEnumerable<string> args, string? workingDirectory = null, IDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        psi.ArgumentList.Add(DllPath);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var kp = new KukaiProcess(process, "kukai " + string.Join(' ', psi.ArgumentList.Skip(1)));
        process.OutputDataReceived += (_, e) => kp.OnLine(kp._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => kp.OnLine(kp._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return kp;
    }

    public static KukaiProcess Start(params string[] args) => Start((IEnumerable<string>)args);

    /// <summary>Runs to completion within <paramref name="timeout"/>; returns the exit code.</summary>
    public static async Task<KukaiProcess> RunAsync(TimeSpan timeout, IEnumerable<string> args, string? workingDirectory = null)
    {
        var p = Start(args, workingDirectory);
        await p.WaitForExitAsync(timeout);
        return p;
    }

    public IReadOnlyList<string> Stdout
    {
        get
        {
            lock (_sync)
            {
                return [.. _stdout];
            }
        }
    }

    public IReadOnlyList<string> Stderr
    {
        get
        {
            lock (_sync)
            {
                return [.. _stderr];
            }
        }
    }

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything printed so far, for assertion messages.</summary>
    public string Transcript()
    {
        lock (_sync)
        {
            return $"$ {CommandLine}\n--- stdout\n{string.Join('\n', _stdout.TakeLast(80))}\n--- stderr\n{string.Join('\n', _stderr.TakeLast(80))}";
        }
    }

    /// <summary>Waits for a stdout line matching <paramref name="pattern"/> (lines already printed count).</summary>
    public async Task<Match> WaitForLineAsync(Regex pattern, TimeSpan timeout, bool stderr = false)
    {
        var deadline = DateTime.UtcNow + timeout;
        var seen = 0;
        while (true)
        {
            Task arrived;
            lock (_sync)
            {
                var lines = stderr ? _stderr : _stdout;
                for (; seen < lines.Count; seen++)
                {
                    var m = pattern.Match(lines[seen]);
                    if (m.Success)
                    {
                        return m;
                    }
                }

                arrived = _lineArrived.Task;
            }

            if (_process.HasExited)
            {
                // Drain: output may still be arriving after exit.
                _process.WaitForExit();
                lock (_sync)
                {
                    var lines = stderr ? _stderr : _stdout;
                    foreach (var line in lines.Skip(seen))
                    {
                        var m = pattern.Match(line);
                        if (m.Success)
                        {
                            return m;
                        }
                    }
                }

                throw new InvalidOperationException($"process exited ({_process.ExitCode}) before printing a line matching /{pattern}/\n{Transcript()}");
            }

            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException($"no line matching /{pattern}/ within {timeout.TotalSeconds:0.#} s\n{Transcript()}");
            }

            await Task.WhenAny(arrived, Task.Delay(remaining > TimeSpan.FromMilliseconds(500) ? TimeSpan.FromMilliseconds(500) : remaining));
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"process did not exit within {timeout.TotalSeconds:0.#} s\n{Transcript()}");
        }

        _process.WaitForExit(); // flush redirected output
        return _process.ExitCode;
    }

    /// <summary>Writes a line to the process's standard input.</summary>
    public async Task WriteLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Sends SIGINT (Ctrl+C) or SIGTERM.</summary>
    public void Signal(int signal) => _ = SysKill(_process.Id, signal);

    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (!_process.HasExited)
        {
            Signal(SigTerm);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                Kill();
            }
        }

        _process.Dispose();
    }

    private void OnLine(List<string> lines, string? line)
    {
        if (line is null)
        {
            return;
        }

        TaskCompletionSource previous;
        lock (_sync)
        {
            lines.Add(line);
            previous = _lineArrived;
            _lineArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int SysKill(int pid, int signal);
}
