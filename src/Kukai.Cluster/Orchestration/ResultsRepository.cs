using System.Text.Json;
using Kukai.Engine.Metrics;
using Kukai.Results;
using Kukai.Results.Arrow;

namespace Kukai.Cluster.Orchestration;

/// <summary>
/// Results on disk under <c>&lt;data-dir&gt;/results/&lt;test-id&gt;/</c>: a test's files when it ends, a checkpoint
/// while it runs (so an orchestrator crash loses at most a few seconds), and loading everything back at start.
/// A folder holding <c>summary.json</c> is complete; one holding only <c>checkpoint.json</c> was interrupted.
/// </summary>
public sealed class ResultsRepository
{
    public const string CheckpointFile = "checkpoint.json";

    public ResultsRepository(string dataDir)
    {
        DataDir = Path.GetFullPath(dataDir);
        Root = Path.Combine(DataDir, "results");
    }

    /// <summary>The data folder (<c>--data-dir</c>), absolute.</summary>
    public string DataDir { get; }

    public string Root { get; }

    public ResultsFolder Folder(string testId) => new(Path.Combine(Root, testId));

    /// <summary>Checks the data folder can be written, with a clear message when it cannot.</summary>
    public void EnsureWritable()
    {
        try
        {
            Directory.CreateDirectory(Root);
            var probe = Path.Combine(Root, $".write-probe-{Guid.NewGuid():N}");
            File.WriteAllText(probe, "ok");
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"the data folder {DataDir} is not writable: {ex.Message}", ex);
        }
    }

    /// <summary>Writes a running test's state so far (summary marked running, timeseries).</summary>
    public void WriteCheckpoint(TestSummary partial, IReadOnlyList<TimeseriesRow> rows)
    {
        var folder = Folder(partial.TestId);
        folder.Create();
        folder.WriteTimeseries(rows);
        AtomicFile.Write(folder.FilePath(CheckpointFile), s => JsonSerializer.Serialize(s, partial, ResultsJson.Options));
    }

    /// <summary>
    /// Writes a finished test's files and removes its checkpoint once its <c>summary.json</c> is written. A file that
    /// fails (the merged <c>requests.arrow</c>, say, on a full disk) does not keep the others from being written.
    /// </summary>
    /// <exception cref="IOException">One or more files could not be written, or an uploaded requests file was malformed
    /// (the message names each, and why).</exception>
    public void WriteFinal(TestSummary summary, TestMetricsStore store, IReadOnlyList<string> uploadedRequestFiles, bool recordRequests)
    {
        var folder = Folder(summary.TestId);
        folder.Create();
        Exception? requests = null;
        if (recordRequests)
        {
            try
            {
                AtomicFile.Write(folder.FilePath(ResultsFolder.RequestsFile), s =>
                {
                    if (uploadedRequestFiles.Count > 0)
                    {
                        ArrowFileConcatenator.Concatenate(uploadedRequestFiles, s);
                    }
                    else
                    {
                        using var empty = new RequestRowWriter(s, leaveOpen: true);
                        empty.Complete();
                    }
                });
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                requests = ex;
            }
        }

        IOException? others = null;
        try
        {
            folder.WriteFinal(summary, store);
        }
        catch (IOException ex)
        {
            others = ex;
        }

        var checkpoint = folder.FilePath(CheckpointFile);
        if (File.Exists(folder.FilePath(ResultsFolder.SummaryFile)) && File.Exists(checkpoint))
        {
            File.Delete(checkpoint);
        }

        if (requests is not null || others is not null)
        {
            var parts = new[] { requests is null ? null : $"{ResultsFolder.RequestsFile}: {requests.Message}", others?.Message };
            throw new IOException(string.Join("; ", parts.OfType<string>()), requests ?? others);
        }
    }

    /// <summary>
    /// Every test on disk: finished ones as they are; interrupted ones (checkpoint only) turned into failed results
    /// with what they had, so nothing looks complete that is not. Leftovers of writes a crash cut short (temporary
    /// files, spooled uploads, a checkpoint beside a summary) are removed. Call before this process writes results.
    /// </summary>
    public IReadOnlyList<(TestSummary Summary, bool Interrupted)> LoadAll(DateTimeOffset now)
    {
        var found = new List<(TestSummary, bool)>();
        if (!Directory.Exists(Root))
        {
            return found;
        }

        foreach (var dir in Directory.EnumerateDirectories(Root))
        {
            var folder = new ResultsFolder(dir);
            try
            {
                RemoveLeftovers(folder);
                if (File.Exists(folder.FilePath(ResultsFolder.SummaryFile)))
                {
                    found.Add((folder.ReadSummary(), false));
                    TryDelete(folder.FilePath(CheckpointFile)); // the crash came between the summary and this delete
                }
                else if (File.Exists(folder.FilePath(CheckpointFile)))
                {
                    using var stream = File.OpenRead(folder.FilePath(CheckpointFile));
                    var partial = JsonSerializer.Deserialize<TestSummary>(stream, ResultsJson.Options)!;
                    var failed = partial with
                    {
                        State = "failed",
                        Verdict = Verdict.Failed,
                        Reason = "interrupted: the orchestrator stopped while the test ran; results are those of the last checkpoint",
                        EndedAt = partial.EndedAt > partial.StartedAt ? partial.EndedAt : now,
                    };
                    folder.WriteSummary(failed);
                    File.Delete(folder.FilePath(CheckpointFile));
                    found.Add((failed, true));
                }
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or JsonException or UnauthorizedAccessException)
            {
                // A damaged folder is skipped; the others still load.
            }
        }

        return found;
    }

    // Temporary files of AtomicFile (".name.pid.guid.tmp") and the upload spool of a test that never ended.
    private static void RemoveLeftovers(ResultsFolder folder)
    {
        foreach (var temp in Directory.EnumerateFiles(folder.Path, ".*.tmp"))
        {
            TryDelete(temp);
        }

        try
        {
            var uploads = Path.Combine(folder.Path, ".uploads");
            if (Directory.Exists(uploads))
            {
                Directory.Delete(uploads, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the next start.
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the next start; it never makes a folder look complete.
        }
    }
}
