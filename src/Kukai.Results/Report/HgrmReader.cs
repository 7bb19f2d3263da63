using System.Globalization;

namespace Kukai.Results.Report;

/// <summary>
/// Reads a percentile distribution in HdrHistogram's text format: <c>latency.hgrm</c> as <see cref="HgrmWriter"/> writes it,
/// and what HdrHistogram itself prints (Java <c>outputPercentileDistribution</c>, C <c>hdr_percentiles_print</c>, either
/// as whitespace-separated columns or as CSV).
/// </summary>
/// <remarks>
/// Accepted lines: the column header (<c>Value Percentile TotalCount 1/(1-Percentile)</c>, quoted or not), blank lines,
/// <c>#</c> lines (the <c>#[Mean …]</c> footer), and rows of 3 or 4 numbers: value, percentile as a fraction 0..1, total
/// count, and optionally 1/(1−p) (ignored; <c>inf</c>/<c>Infinity</c> allowed on the last row). Values are taken to be
/// milliseconds, the unit Kukai writes. Percentiles and counts must not decrease from one row to the next.
/// </remarks>
public static class HgrmReader
{
    /// <summary>Reads the file at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">A line is malformed; the message names the file and line.</exception>
    public static IReadOnlyList<HgrmPoint> Read(string path)
    {
        using var reader = new StreamReader(path);
        return Parse(reader, path);
    }

    /// <summary>Parses text already in memory; <paramref name="source"/> names it in error messages.</summary>
    public static IReadOnlyList<HgrmPoint> Parse(string text, string source = ResultsFolder.HgrmFile)
    {
        using var reader = new StringReader(text);
        return Parse(reader, source);
    }

    /// <summary>Parses lines from <paramref name="reader"/>; <paramref name="source"/> names the input in error messages.</summary>
    /// <exception cref="InvalidDataException">A line is malformed; the message names the source and line.</exception>
    public static IReadOnlyList<HgrmPoint> Parse(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var points = new List<HgrmPoint>();
        var lineNo = 0;
        while (reader.ReadLine() is { } raw)
        {
            lineNo++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var fields = line.Contains(',', StringComparison.Ordinal)
                ? line.Split(',', StringSplitOptions.TrimEntries)
                : line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (points.Count == 0 && IsHeader(fields))
            {
                continue;
            }

            points.Add(ParseRow(fields, points.Count == 0 ? null : points[^1], source, lineNo, line));
        }

        return points;
    }

    private static bool IsHeader(string[] fields) =>
        fields.Length > 0 && string.Equals(fields[0].Trim('"'), "Value", StringComparison.OrdinalIgnoreCase);

    private static HgrmPoint ParseRow(string[] fields, HgrmPoint? previous, string source, int lineNo, string line)
    {
        if (fields.Length is not (3 or 4))
        {
            throw Error(source, lineNo, line, $"expected 3 or 4 columns (Value Percentile TotalCount [1/(1-Percentile)]), found {fields.Length}");
        }

        var ic = CultureInfo.InvariantCulture;
        if (!double.TryParse(fields[0], NumberStyles.Float, ic, out var value) || !double.IsFinite(value) || value < 0)
        {
            throw Error(source, lineNo, line, $"Value '{fields[0]}' is not a non-negative number");
        }

        if (!double.TryParse(fields[1], NumberStyles.Float, ic, out var percentile) || !(percentile is >= 0 and <= 1))
        {
            throw Error(source, lineNo, line, $"Percentile '{fields[1]}' is not a fraction between 0 and 1");
        }

        if (!long.TryParse(fields[2], NumberStyles.Integer, ic, out var count) || count < 0)
        {
            throw Error(source, lineNo, line, $"TotalCount '{fields[2]}' is not a non-negative integer");
        }

        if (fields.Length == 4 && !IsInverse(fields[3]))
        {
            throw Error(source, lineNo, line, $"1/(1-Percentile) '{fields[3]}' is not a number");
        }

        if (previous is not null && (percentile < previous.Percentile || count < previous.TotalCount))
        {
            throw Error(source, lineNo, line, "percentile and total count must not decrease from the previous row");
        }

        return new HgrmPoint(value, percentile, count);
    }

    private static bool IsInverse(string field) =>
        double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
        || field.Equals("inf", StringComparison.OrdinalIgnoreCase)
        || field.Equals("+inf", StringComparison.OrdinalIgnoreCase);

    private static InvalidDataException Error(string source, int lineNo, string line, string message)
    {
        var shown = line.Length <= 80 ? line : line[..80] + "…";
        return new InvalidDataException($"{source}:{lineNo}: {message}: '{shown}'");
    }
}
