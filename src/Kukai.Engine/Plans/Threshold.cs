using System.Globalization;
using System.Text.RegularExpressions;

namespace Kukai.Engine.Plans;

/// <summary>
/// A pass/fail rule over the aggregate statistics, written <c>"metric op number"</c>, e.g. <c>"p99_ms &lt; 250"</c>
/// or <c>"error_rate &lt; 0.01"</c>.
/// </summary>
/// <remarks>
/// Metrics: <c>count ok errors error_rate rps late late_connections_busy late_generator_behind dropped bytes_sent
/// bytes_received</c> (the two late causes add up to <c>late</c>), and latency in
/// milliseconds <c>min_ms max_ms mean_ms stddev_ms median_ms mode_ms</c> and any percentile <c>pN_ms</c>
/// (<c>p50_ms</c>, <c>p99_ms</c>, <c>p999_ms</c> = 99.9, <c>p99.99_ms</c>). Operators <c>&lt; &lt;= &gt; &gt;= == !=</c>.
/// </remarks>
public sealed partial record Threshold(string Text, string Metric, double? Percentile, ThresholdOperator Operator, double Value)
{
    private static readonly string[] PlainMetrics =
        ["count", "ok", "errors", "error_rate", "rps", "late", "late_connections_busy", "late_generator_behind", "dropped",
         "bytes_sent", "bytes_received",
         "min_ms", "max_ms", "mean_ms", "stddev_ms", "median_ms", "mode_ms"];

    /// <summary>Every metric name a threshold may use (percentiles shown as <c>pN_ms</c>).</summary>
    public static IReadOnlyList<string> KnownMetrics { get; } = [.. PlainMetrics, "pN_ms"];

    public static bool TryParse(string text, out Threshold? threshold, out string? error)
    {
        threshold = null;
        var m = Syntax().Match(text);
        if (!m.Success)
        {
            error = "is not a threshold: expected \"metric op number\", e.g. \"p99_ms < 250\"";
            return false;
        }

        var metric = m.Groups["metric"].Value;
        double? percentile = null;
        if (Array.IndexOf(PlainMetrics, metric) < 0)
        {
            var p = PercentileMetric().Match(metric);
            if (!p.Success || !TryParsePercentile(p.Groups["p"].Value, out var pv))
            {
                error = $"has unknown metric '{metric}' (known: {string.Join(", ", KnownMetrics)})";
                return false;
            }

            percentile = pv;
        }

        if (!double.TryParse(m.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            error = $"has a bad number '{m.Groups["value"].Value}'";
            return false;
        }

        var op = m.Groups["op"].Value switch
        {
            "<" => ThresholdOperator.Less,
            "<=" => ThresholdOperator.LessOrEqual,
            ">" => ThresholdOperator.Greater,
            ">=" => ThresholdOperator.GreaterOrEqual,
            "==" => ThresholdOperator.Equal,
            _ => ThresholdOperator.NotEqual,
        };
        threshold = new Threshold(text, metric, percentile, op, value);
        error = null;
        return true;
    }

    /// <summary>Whether <paramref name="actual"/> satisfies this threshold.</summary>
    public bool Passes(double actual) => Operator switch
    {
        ThresholdOperator.Less => actual < Value,
        ThresholdOperator.LessOrEqual => actual <= Value,
        ThresholdOperator.Greater => actual > Value,
        ThresholdOperator.GreaterOrEqual => actual >= Value,
        ThresholdOperator.Equal => actual == Value,
        _ => actual != Value,
    };

    // "99" → 99, "999" → 99.9, "9999" → 99.99, "975" → 97.5, "99.9" → 99.9, "50" → 50, "100" → 100 (the maximum).
    // More than two digits without a point are read that way only after a 9 (the nines of p999): "p1000" is not p10,
    // "p101" not p10.1; nor is a leading zero read ("p050" is not p5).
    private static bool TryParsePercentile(string digits, out double percentile)
    {
        percentile = 0;
        if (digits.Length > 1 && digits[0] == '0' && digits[1] != '.')
        {
            return false;
        }

        if (!digits.Contains('.') && digits.Length > 2 && digits != "100")
        {
            if (digits[0] != '9')
            {
                return false;
            }

            digits = digits[..2] + "." + digits[2..];
        }

        return double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out percentile) && percentile is > 0 and <= 100;
    }

    [GeneratedRegex(@"^\s*(?<metric>[a-z0-9_.]+)\s*(?<op><=|>=|==|!=|<|>)\s*(?<value>[-+0-9.eE]+)\s*$")]
    private static partial Regex Syntax();

    [GeneratedRegex(@"^p(?<p>[0-9]+(\.[0-9]+)?)_ms$")]
    private static partial Regex PercentileMetric();
}
