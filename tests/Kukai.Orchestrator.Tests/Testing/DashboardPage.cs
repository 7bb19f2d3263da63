using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Kukai.Orchestrator.Tests.Testing;

/// <summary>
/// One browser page on the dashboard: records every console error and uncaught page error, and saves screenshots
/// under <c>TestResults/dashboard/</c> next to the test binaries.
/// </summary>
public sealed partial class DashboardPage : IAsyncDisposable
{
    /// <summary>Default wait for a page condition.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly IBrowserContext _context;
    private readonly string _screenshotPrefix;
    private readonly List<string> _errors = [];
    private readonly Lock _sync = new();

    internal DashboardPage(IBrowserContext context, IPage page, string screenshotPrefix)
    {
        _context = context;
        Page = page;
        _screenshotPrefix = screenshotPrefix;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Record($"console: {message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => Record($"page error: {error}");
    }

    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "dashboard");

    public IPage Page { get; }

    /// <summary>Console and page errors so far.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_sync)
            {
                return [.. _errors];
            }
        }
    }

    /// <summary>
    /// Asserts the page logged no error, apart from the browser's own notes that an HTTP request was answered with one
    /// of <paramref name="expectedStatuses"/> (Chromium logs every 4xx answer to a fetch as a console error; a
    /// scenario that provokes one on purpose expects it).
    /// </summary>
    public void AssertNoErrors(params int[] expectedStatuses)
    {
        var unexpected = Errors.Where(e => !(FailedToLoad().Match(e) is { Success: true } m && expectedStatuses.Contains(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)))).ToList();
        Assert.True(unexpected.Count == 0, "the page logged errors:\n" + string.Join("\n", unexpected));
    }

    public ILocator ByTestId(string id) => Page.GetByTestId(id);

    /// <summary>Submits the start form and waits for its success message; returns the new test's id from it.</summary>
    public async Task<string> StartFromFormAsync()
    {
        await ByTestId("start-button").ClickAsync();
        await WaitForAsync("document.getElementById('form-message').dataset.kind === 'ok'");
        return (await ByTestId("form-message").InnerTextAsync()).Split(' ')[1];
    }

    /// <summary>Waits until the live panel shows test <paramref name="id"/> completed.</summary>
    public Task WaitForLiveCompletedAsync(string id) =>
        WaitForAsync("id => { const p = document.getElementById('live-panel'); return p.dataset.testId === id && p.dataset.state === 'completed'; }", id, TimeSpan.FromSeconds(60));

    /// <summary>Saves a full-page screenshot named <c>{prefix}-{name}.png</c> and returns its path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        var path = Path.Combine(ScreenshotFolder, $"{_screenshotPrefix}-{name}.png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    /// <summary>
    /// Polls <paramref name="condition"/> (a JavaScript expression, or a function of <paramref name="arg"/>, evaluated
    /// in the page) until it is truthy; <see cref="TimeoutException"/> after the deadline. Polled from here rather than
    /// with Playwright's WaitForFunction, whose in-page poller needs eval, which the dashboard's CSP forbids.
    /// </summary>
    public async Task WaitForAsync(string condition, object? arg = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Timeout);
        while (!await Page.EvaluateAsync<bool>($"(arg) => Boolean(({condition.Trim()}){(IsFunction(condition) ? "(arg)" : "")})", arg))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the page did not reach, within {(timeout ?? Timeout).TotalSeconds:0} s: {condition}");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();

    private void Record(string error)
    {
        lock (_sync)
        {
            _errors.Add(error);
        }
    }

    private static bool IsFunction(string js) => ArrowFunction().IsMatch(js);

    [GeneratedRegex(@"^\s*\(?\s*\w*\s*\)?\s*=>")]
    private static partial Regex ArrowFunction();

    [GeneratedRegex(@"^console: Failed to load resource: the server responded with a status of (\d{3})")]
    private static partial Regex FailedToLoad();
}
