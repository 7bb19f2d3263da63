namespace Kukai.Results.Tests.Report;

/// <summary>A fresh directory under the system temp folder, deleted on dispose.</summary>
public sealed class ReportTempDirectory : IDisposable
{
    public ReportTempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kukai-report-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail a test.
        }
    }
}
