using System.Diagnostics;

namespace Kukai.TestSupport.Fuzz;

/// <summary>
/// Runs generated inputs through a check for a time budget on a worker thread, with a bound on each input: an input
/// still running after <c>perCase</c> is reported as a hang (its thread is abandoned). Failures of the check are
/// collected with their input, up to a few, rather than stopping at the first.
/// </summary>
public static class FuzzRunner
{
    private const int MaxFailures = 10;

    /// <summary>The seed: <c>KUKAI_FUZZ_SEED</c> when set, else <paramref name="fallback"/> (fixed, so runs repeat).</summary>
    public static int Seed(int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable("KUKAI_FUZZ_SEED"), out var seed) ? seed : fallback;

    /// <summary>The budget: <c>KUKAI_FUZZ_SECONDS</c> when set (longer local runs), else <paramref name="fallback"/>.</summary>
    public static TimeSpan Budget(TimeSpan fallback) =>
        double.TryParse(Environment.GetEnvironmentVariable("KUKAI_FUZZ_SECONDS"), System.Globalization.CultureInfo.InvariantCulture, out var s) ? TimeSpan.FromSeconds(s) : fallback;

    /// <summary>Runs cases until the budget is spent; returns how many ran and the failures (input and error).</summary>
    public static (int Cases, IReadOnlyList<string> Failures) Run(TimeSpan budget, TimeSpan perCase, Func<string> generate, Action<string> check)
    {
        var failures = new List<string>();
        var cases = 0;
        string? current = null;
        var started = Stopwatch.GetTimestamp();
        var worker = new Thread(() =>
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < budget && failures.Count < MaxFailures)
            {
                string input;
                try
                {
                    input = generate();
                }
                catch (Exception ex)
                {
                    // A bug of the generator: reported, never left to end the test process.
                    failures.Add($"generating an input failed: {ex}");
                    break;
                }

                Volatile.Write(ref current, input);
                Volatile.Write(ref started, Stopwatch.GetTimestamp());
                try
                {
                    check(input);
                }
                catch (Exception ex)
                {
                    failures.Add($"input {Show(input)}\n  {ex.GetType().Name}: {ex.Message}");
                }

                Volatile.Write(ref cases, cases + 1);
            }

            Volatile.Write(ref current, null);
        })
        {
            IsBackground = true,
            Name = "fuzz",
        };
        worker.Start();
        while (!worker.Join(TimeSpan.FromMilliseconds(100)))
        {
            if (Volatile.Read(ref current) is { } input && Stopwatch.GetElapsedTime(Volatile.Read(ref started)) > perCase)
            {
                throw new TimeoutException($"no answer within {perCase.TotalSeconds:0.#} s (after {Volatile.Read(ref cases)} cases) for input {Show(input)}");
            }
        }

        return (cases, failures);
    }

    /// <summary>An input as a C# string literal, shortened, for messages.</summary>
    public static string Show(string input)
    {
        var shown = input.Length > 400 ? input[..400] + "…" : input;
        var escaped = new System.Text.StringBuilder("\"");
        foreach (var ch in shown)
        {
            escaped.Append(ch switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                _ when char.IsControl(ch) || char.IsSurrogate(ch) || ch is '\u2028' or '\u2029' => $"\\u{(int)ch:X4}",
                _ => ch.ToString(),
            });
        }

        return escaped.Append('"').Append($" ({input.Length} chars)").ToString();
    }
}
