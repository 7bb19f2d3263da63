using System.CommandLine;
using Kukai.Cli.Presentation;
using Kukai.Results;
using Kukai.Results.Report;
using Spectre.Console;

namespace Kukai.Cli.Commands;

/// <summary><c>kukai report DIR</c>: prints a finished test's summary from its files again and rewrites its <c>report.html</c>.</summary>
public static class ReportCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var dir = new Argument<string>("DIR") { Description = "a test's results folder (with summary.json)" };
        var command = new Command("report", "Print a finished test's summary again and rewrite its report.html.") { dir };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(dir)!;
            if (string.IsNullOrWhiteSpace(path))
            {
                throw new UsageException($"DIR: '{path}' must name a results folder");
            }

            var folder = new ResultsFolder(path);
            if (!Directory.Exists(folder.Path))
            {
                // The parser takes an unknown flag for DIR when it is the only argument.
                if (path.StartsWith('-') && !File.Exists(folder.Path))
                {
                    throw new UsageException($"unknown flag '{path}' (kukai report takes one argument: DIR, a results folder)");
                }

                throw new UsageException(File.Exists(folder.Path)
                    ? $"DIR: '{path}' is a file, not a results folder (give the folder that holds summary.json)"
                    : $"DIR: '{path}' does not exist");
            }

            if (!File.Exists(folder.FilePath(ResultsFolder.SummaryFile)))
            {
                throw new UsageException($"DIR: '{path}' has no {ResultsFolder.SummaryFile}: not a results folder (or the test has not finished)");
            }

            TestSummary summary;
            try
            {
                summary = folder.ReadSummary();
            }
            catch (InvalidDataException ex)
            {
                throw new UsageException(ex.Message);
            }

            var notes = HtmlReport.WriteFromFolder(folder);
            SummaryView.Print(console, summary, folder.Path);
            foreach (var note in notes)
            {
                console.MarkupLineInterpolated($"[yellow]warning:[/] {note}");
            }

            console.MarkupLineInterpolated($"report: {folder.FilePath(ResultsFolder.ReportFile)}");
            return summary.Thresholds.All(t => t.Passed) ? ExitCodes.Success : ExitCodes.ThresholdFailed;
        });
        return command;
    }
}
