using System.Globalization;
using Kukai.Engine.Metrics;
using Kukai.Engine.Plans;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Kukai.Cli.Presentation;

/// <summary>
/// The live view of a running test: a progress bar (requests or time), current requests/s, p50/p99 of the last
/// second and errors. On a terminal it redraws in place; when output is redirected it prints one line a second.
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
                var (done, errors) = Totals();
                _console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"[{last.Second + 1,4}s] {done,10:N0} done {last.Rps,10:N0} req/s  p50 {last.P50Ms,8:0.###} ms  p99 {last.P99Ms,8:0.###} ms  {errors:N0} errors"));
            }
        }
    }

    private IRenderable Render()
    {
        var (done, errors) = Totals();
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

    private (long Done, long Errors) Totals()
    {
        long done = 0, errors = 0;
        foreach (var s in _store.Seconds())
        {
            done += s.Completed;
            errors += s.Errors;
        }

        return (done, errors);
    }

    private SecondSummary? LastSecond()
    {
        var seconds = _store.Seconds();
        return seconds.Count == 0 ? null : seconds[^1];
    }
}
