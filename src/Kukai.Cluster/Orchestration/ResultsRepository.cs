using System.Text.Json;
using Kukai.Engine.Metrics;
using Kukai.Results;
using Kukai.Results.Arrow;

namespace Kukai.Cluster.Orchestration;

/// <summary>
/// Results on disk under <c>&lt;data-dir&gt;/results/&lt;test-id&gt;/</c>: a test's files when it ends, a checkpoint
/// while it runs (so an orchestrator crash loses at most a few seconds), and loading everything back at start.
/// A folder holding <c>summary.json</c> is complete; one holding only <c>checkpoint.json</c> was interrupted, and with
/// <c>resume.json</c> beside it a restarted orchestrator can take it up again.
/// </summary>
public sealed class ResultsRepository
{
    public const string CheckpointFile = "checkpoint.json";
    public const string ResumeFile = "resume.json";
    public const string UploadsFolder = ".uploads";

    /// <summary>Why a test the orchestrator could not finish is failed.</summary>
    public const string InterruptedReason = "interrupted: the orchestrator stopped while the test ran; results are those of the last checkpoint";

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

    /// <summary>
    /// Writes a running test's state so far (summary marked running, timeseries) and, with <paramref name="resume"/>,
    /// what a restarted orchestrator needs to take it up again (written first: a checkpoint never has an older one).
    /// </summary>
    public void WriteCheckpoint(TestSummary partial, IReadOnlyList<TimeseriesRow> rows, ResumeState? resume = null)
    {
        var folder = Folder(partial.TestId);
        folder.Create();
        folder.WriteTimeseries(rows);
        if (resume is not null)
        {
            AtomicFile.Write(folder.FilePath(ResumeFile), s => JsonSerializer.Serialize(s, resume, ResultsJson.Options));
        }

        AtomicFile.Write(folder.FilePath(CheckpointFile), s => JsonSerializer.Serialize(s, partial, ResultsJson.Options));
    }

    /// <summary>
    /// An interrupted test given up: its checkpoint becomes a failed <c>summary.json</c> with what it held (the
    /// checkpoint, its resume state and any spooled uploads are removed). Returns that summary.
    /// </summary>
    public TestSummary FailInterrupted(TestSummary partial, DateTimeOffset now, string reason)
    {
        var folder = Folder(partial.TestId);
        var failed = partial with
        {
            State = "failed",
            Verdict = Verdict.Failed,
            Reason = reason,
            EndedAt = partial.EndedAt > partial.StartedAt ? partial.EndedAt : now,
        };
        folder.WriteSummary(failed);
        RemoveRunState(folder);
        return failed;
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

        if (File.Exists(folder.FilePath(ResultsFolder.SummaryFile)))
        {
            RemoveRunState(folder);
        }

        if (requests is not null || others is not null)
        {
            var parts = new[] { requests is null ? null : $"{ResultsFolder.RequestsFile}: {requests.Message}", others?.Message };
            throw new IOException(string.Join("; ", parts.OfType<string>()), requests ?? others);
        }
    }

    /// <summary>
    /// Every test on disk: finished ones as they are; interrupted ones (checkpoint only) with their resume state when
    /// they can be taken up again (left as they are), otherwise turned into failed results with what they had, so
    /// nothing looks complete that is not. Leftovers of writes a crash cut short (temporary files, the spooled uploads
    /// of a test that will not resume, a checkpoint beside a summary) are removed. Call before this process writes results.
    /// </summary>
    public IReadOnlyList<LoadedTest> LoadAll(DateTimeOffset now)
    {
        var found = new List<LoadedTest>();
        if (!Directory.Exists(Root))
        {
            return found;
        }

        foreach (var dir in Directory.EnumerateDirectories(Root))
        {
            var folder = new ResultsFolder(dir);
            try
            {
                foreach (var temp in Directory.EnumerateFiles(folder.Path, ".*.tmp"))
                {
                    TryDelete(temp);
                }

                if (File.Exists(folder.FilePath(ResultsFolder.SummaryFile)))
                {
                    found.Add(new LoadedTest(folder.ReadSummary(), false, null));
                    RemoveRunState(folder); // the crash came between the summary and this
                }
                else if (File.Exists(folder.FilePath(CheckpointFile)))
                {
                    TestSummary partial;
                    using (var stream = File.OpenRead(folder.FilePath(CheckpointFile)))
                    {
                        partial = JsonSerializer.Deserialize<TestSummary>(stream, ResultsJson.Options)!;
                    }

                    if (partial.State is "starting" or "running" && ReadResume(folder) is { } resume)
                    {
                        found.Add(new LoadedTest(partial, true, resume));
                    }
                    else
                    {
                        found.Add(new LoadedTest(FailInterrupted(partial, now, InterruptedReason), true, null));
                    }
                }
                else
                {
                    TryDeleteUploads(folder);
                }
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or JsonException or UnauthorizedAccessException)
            {
                // A damaged folder is skipped; the others still load.
            }
        }

        return found;
    }

    // A checkpoint's resume state; null when there is none (an older orchestrator's) or it cannot be read.
    private static ResumeState? ReadResume(ResultsFolder folder)
    {
        var path = folder.FilePath(ResumeFile);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<ResumeState>(stream, ResultsJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // What a test keeps only while it runs (checkpoint, resume state, report journal, upload spool), once its
    // summary.json is written.
    private static void RemoveRunState(ResultsFolder folder)
    {
        if (File.Exists(folder.FilePath(CheckpointFile)))
        {
            File.Delete(folder.FilePath(CheckpointFile));
        }

        TryDelete(folder.FilePath(ResumeFile));
        TryDelete(folder.FilePath(ReportJournal.FileName));
        TryDeleteUploads(folder);
    }

    // The upload spool of a test that will not get its files from this process.
    private static void TryDeleteUploads(ResultsFolder folder)
    {
        try
        {
            var uploads = Path.Combine(folder.Path, UploadsFolder);
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

/// <summary>A test found on disk at start: its summary (for an interrupted one, its checkpoint), and how to take it up again if it can be.</summary>
public sealed record LoadedTest(TestSummary Summary, bool Interrupted, ResumeState? Resume);
