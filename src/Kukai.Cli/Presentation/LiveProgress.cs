using System.Globalization;
using Kukai.Engine.Metrics;
using Kukai.Engine.Plans;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Kukai.Cli.Presentation;

/// <summary>
/// The live view of a running test: a progress bar (requests or time), current requests/s, p50/p99 of the last
/// second, errors, and for a paced run its late and dropped requests so far. On a terminal it redraws in place; when
/// output is redirected it prints one line a second.
/// </summary>
public sealed class LiveProgress
{
    private readonly IAnsiConsole _console;
    private readonly LoadPlan _plan;
    private readonly TestMetricsStore _store;
    private readonly TimeProvider _time;
    private readonly long _startTicks;

    public LiveProgress(IAnsiConsole console, LoadPlan plan, TestMetricsStore store, TimeProvider time)
    {
        _console = console;
        _plan = plan;
        _store = store;
        _time = time;
        _startTicks = time.GetTimestamp();
    }

    /// <summary>Shows progress until <paramref name="ct"/> is cancelled.</summary>
    public async Task ShowAsync(bool interactive, CancellationToken ct)
    {
        if (!interactive)
        {
            await PlainAsync(ct).ConfigureAwait(false);
            return;
        }

        await _console.Live(Render()).AutoClear(true).StartAsync(async ctx =>
        {
            while (!ct.IsCancellationRequested)
            {
                ctx.UpdateTarget(Render());
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(250), _time, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }).ConfigureAwait(false);
    }

    private async Task PlainAsync(CancellationToken ct)
    {
        long printed = -1;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), _time, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var last = LastSecond();
            if (last is not null && last.Second > printed)
            {
                printed = last.Second;
                var t = Totals();
                _console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"[{last.Second + 1,4}s] {t.Done,10:N0} done {last.Rps,10:N0} req/s  p50 {last.P50Ms,8:0.###} ms  p99 {last.P99Ms,8:0.###} ms  {t.Errors:N0} errors") +
                    (_plan.IsPaced() ? ScheduleText(t) : ""));
            }
        }
    }

    private IRenderable Render()
    {
        var totals = Totals();
        var (done, errors) = (totals.Done, totals.Errors);
        var last = LastSecond();
        var elapsed = _time.GetElapsedTime(_startTicks).TotalSeconds;
        var fraction = Fraction(done, elapsed);
        const int width = 40;
        var filled = (int)Math.Round(fraction * width);
        var bar = new string('━', filled) + new string('─', width - filled);
        var ic = CultureInfo.InvariantCulture;
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow(new Markup($"[green]{bar}[/]"), new Markup(string.Create(ic, $"[bold]{fraction * 100,5:0.0}%[/]  {elapsed:0}s")));
        grid.AddRow(
            new Markup("[grey]now[/]"),
            new Markup(string.Create(ic, $"{last?.Rps ?? 0,10:N0} req/s   p50 {last?.P50Ms ?? 0:0.###} ms   p99 {last?.P99Ms ?? 0:0.###} ms")));
        grid.AddRow(
            new Markup("[grey]total[/]"),
            new Markup(string.Create(ic, $"{done,10:N0} done   ") + (errors > 0 ? $"[red]{errors:N0} errors[/]" : "[green]0 errors[/]")));
        if (_plan.IsPaced())
        {
            grid.AddRow(
                new Markup("[grey]late[/]"),
                new Markup(string.Create(ic, $"{(totals.Late > 0 ? "[yellow]" : "[green]")}{totals.Late,10:N0}[/]   ({totals.LateConnectionsBusy:N0} conn busy)")));
            grid.AddRow(
                new Markup("[grey]dropped[/]"),
                new Markup(string.Create(ic, $"{(totals.Dropped > 0 ? "[red]" : "[green]")}{totals.Dropped,10:N0}[/]")));
        }

        return new Panel(grid).Header("kukai run").Border(BoxBorder.Rounded);
    }

    private double Fraction(long done, double elapsed)
    {
        var f = 0.0;
        if (_plan.Requests is { } n && n > 0)
        {
            f = Math.Max(f, (double)done / n);
        }

        if (_plan.EffectiveDurationSeconds() is { } d && d > 0)
        {
            f = Math.Max(f, elapsed / d);
        }

        return Math.Clamp(f, 0, 1);
    }

    // Paced runs: how the schedule is kept so far ("12 late (10 on busy connections), 0 dropped").
    private static string ScheduleText(RunTotals t) => string.Create(
        CultureInfo.InvariantCulture,
        $"  {t.Late:N0} late ({t.LateConnectionsBusy:N0} on busy connections), {t.Dropped:N0} dropped");

    private RunTotals Totals()
    {
        var t = default(RunTotals);
        foreach (var s in _store.Seconds())
        {
            t = new RunTotals(t.Done + s.Completed, t.Errors + s.Errors, t.Late + s.Late, t.LateConnectionsBusy + (s.LateConnectionsBusy ?? 0), t.Dropped + s.Dropped);
        }

        return t;
    }

    private readonly record struct RunTotals(long Done, long Errors, long Late, long LateConnectionsBusy, long Dropped);

    private SecondSummary? LastSecond()
    {
        var seconds = _store.Seconds();
        return seconds.Count == 0 ? null : seconds[^1];
    }
}
