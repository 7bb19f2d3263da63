using System.Runtime.InteropServices;
using Kukai.Results;

namespace Kukai.Cli.Standalone;

/// <summary>
/// The seed's <c>arrow_output</c>: a second name for a run's <c>requests.arrow</c>. The run writes the file in its
/// results folder as always; once it is complete the file is published under the configured name — a hard link
/// (no copy, whatever its size) or, across file systems, a copy — replacing what was there in one rename. A later
/// run that publishes to the same name replaces it again but never touches an earlier folder's own file.
/// </summary>
internal static partial class ArrowOutput
{
    /// <summary>Why <paramref name="path"/> cannot be an <c>arrow_output</c> (before the run), or null.</summary>
    public static string? Problem(string path)
    {
        if (path.Length == 0)
        {
            return "must name a file";
        }

        if (Path.EndsInDirectorySeparator(path) || Directory.Exists(path))
        {
            return "is a folder: name a file";
        }

        var parent = Path.GetDirectoryName(Path.GetFullPath(path));
        if (parent is not null && !Directory.Exists(parent))
        {
            return $"cannot be written: its folder {parent} does not exist";
        }

        return null;
    }

    /// <summary>Why <paramref name="path"/> cannot be published beside the results in <paramref name="folder"/>, or null.</summary>
    public static string? Clash(string path, ResultsFolder folder)
    {
        var full = Path.GetFullPath(path);
        var own = ResultsFolder.FileNames.FirstOrDefault(n => n != ResultsFolder.RequestsFile && folder.FilePath(n) == full);
        return own is null ? null : $"is the results folder's own {own}: name another file";
    }

    /// <summary>Publishes the complete <paramref name="source"/> as <paramref name="destination"/> (see the type).</summary>
    public static void Publish(string source, string destination)
    {
        var full = Path.GetFullPath(destination);
        if (full == Path.GetFullPath(source))
        {
            return;
        }

        var temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            if (!OperatingSystem.IsWindows() && Link(source, temporary) == 0)
            {
                File.Move(temporary, full, overwrite: true);
                return;
            }

            File.Copy(source, temporary, overwrite: true);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Link(string existing, string created);
}
