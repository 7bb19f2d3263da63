using System.Buffers.Binary;
using Kukai.Cluster.Messages;

namespace Kukai.Cluster.Orchestration;

/// <summary>
/// Every report a running test applied, appended to a file in its results folder as it is applied
/// (<c>.reports.journal</c>: a 4-byte little-endian length, then the encoded message). An orchestrator that restarts
/// mid-test reads it back before asking the drivers for their reports again, so a driver that died meanwhile keeps
/// what it had reported. Written by the applying loop, flushed to the operating system four times a second (a crash of
/// this process loses nothing flushed); deleted when the test's results are written. Not thread-safe: callers hold the
/// runtime's lock.
/// </summary>
internal sealed class ReportJournal : IDisposable
{
    public const string FileName = ".reports.journal";

    private readonly FileStream? _file;

    private ReportJournal(FileStream? file) => _file = file;

    /// <summary>Opens (or creates) a test's journal for appending; one that cannot be opened records nothing.</summary>
    public static ReportJournal Open(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            return new ReportJournal(new FileStream(Path.Combine(folder, FileName), FileMode.Append, FileAccess.Write, FileShare.Read, 64 * 1024));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new ReportJournal(null);
        }
    }

    public void Append(ReportMessage report)
    {
        if (_file is null)
        {
            return;
        }

        var bytes = report.Wire.IsEmpty ? ClusterMessageCodec.Encode(report) : report.Wire.Span;
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
        try
        {
            _file.Write(length);
            _file.Write(bytes);
        }
        catch (IOException)
        {
            // A full disk: the drivers still hold every report until the test is released.
        }
    }

    public void Flush()
    {
        try
        {
            _file?.Flush();
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The reports in a test's journal, in the order applied; a record cut short by a crash ends the list.</summary>
    public static List<ReportMessage> Read(string folder)
    {
        var reports = new List<ReportMessage>();
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            return reports;
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024);
        Span<byte> length = stackalloc byte[4];
        while (file.ReadAtLeast(length, 4, throwOnEndOfStream: false) == 4)
        {
            var size = BinaryPrimitives.ReadInt32LittleEndian(length);
            if (size <= 0 || size > file.Length - file.Position)
            {
                break;
            }

            var bytes = new byte[size];
            file.ReadExactly(bytes);
            if (ClusterMessageCodec.TryDecode(bytes, out var message, out _) && message is ReportMessage report)
            {
                reports.Add(report);
            }
        }

        return reports;
    }

    public static void Delete(string folder)
    {
        try
        {
            File.Delete(Path.Combine(folder, FileName));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    public void Dispose() => _file?.Dispose();
}
