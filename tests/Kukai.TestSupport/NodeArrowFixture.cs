using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Kukai.TestSupport;

/// <summary>
/// Runs the official apache-arrow npm package (an independent Arrow implementation) from the node project
/// in <c>Arrow/js</c>: installs it once with <c>npm ci</c> when <c>node_modules</c> is missing, then runs its
/// scripts on files the tests wrote. Every process has a deadline and is killed when it passes it.
/// </summary>
public sealed class NodeArrowFixture : IAsyncLifetime
{
    private static readonly TimeSpan InstallDeadline = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ScriptDeadline = TimeSpan.FromMinutes(2);

    public string ScriptDirectory { get; } = FindScriptDirectory();

    public async Task InitializeAsync()
    {
        var (code, _, error) = await RunAsync("node", ["--version"], TimeSpan.FromSeconds(30));
        if (code != 0)
        {
            throw new InvalidOperationException($"`node --version` failed ({code}); node 20+ is needed for the Arrow interop tests.\n{error}");
        }

        if (File.Exists(Path.Combine(ScriptDirectory, "node_modules", "apache-arrow", "package.json")))
        {
            return;
        }

        string npm = OperatingSystem.IsWindows() ? "npm.cmd" : "npm";
        (code, string output, error) = await RunAsync(npm, ["ci", "--no-audit", "--no-fund"], InstallDeadline);
        if (code != 0)
        {
            throw new InvalidOperationException(
                $"`npm ci` in {ScriptDirectory} failed with exit code {code}; the Arrow interop tests need the apache-arrow " +
                $"package from the npm registry.\n{output}\n{error}");
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Reads <paramref name="arrowPath"/> with apache-arrow's RecordBatchFileReader (see read-arrow.mjs).</summary>
    public async Task<JsonDocument> ReadAsync(string arrowPath)
    {
        var (code, output, error) = await RunAsync("node", [Path.Combine(ScriptDirectory, "read-arrow.mjs"), arrowPath], ScriptDeadline);
        Assert.True(code == 0, $"apache-arrow could not read {arrowPath} (exit {code}):\n{error}");
        return JsonDocument.Parse(output);
    }

    /// <summary>Writes <paramref name="rowsJsonPath"/> as an Arrow file with apache-arrow (see write-arrow.mjs).</summary>
    public async Task WriteAsync(string rowsJsonPath, string arrowPath, int rowsPerBatch)
    {
        var (code, _, error) = await RunAsync(
            "node",
            [Path.Combine(ScriptDirectory, "write-arrow.mjs"), rowsJsonPath, arrowPath, rowsPerBatch.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            ScriptDeadline);
        Assert.True(code == 0, $"apache-arrow could not write {arrowPath} (exit {code}):\n{error}");
    }

    private async Task<(int ExitCode, string Output, string Error)> RunAsync(string fileName, string[] arguments, TimeSpan deadline)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = ScriptDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{fileName} {string.Join(' ', arguments)}` did not finish within {deadline}.");
        }

        return (process.ExitCode, await output, await error);
    }

    /// <summary>The node project (tests/Kukai.Results.Tests/Arrow/js), found from the sources or the test output.</summary>
    private static string FindScriptDirectory([CallerFilePath] string sourceFile = "")
    {
        var fromSource = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(sourceFile) ?? "", "..", "Kukai.Results.Tests", "Arrow", "js"));
        if (File.Exists(Path.Combine(fromSource, "package.json")))
        {
            return fromSource;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "Kukai.Results.Tests", "Arrow", "js");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("Cannot find tests/Kukai.Results.Tests/Arrow/js (the apache-arrow node project).");
    }
}
