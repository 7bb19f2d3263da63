using System.Globalization;
using System.Text;
using Kukai.Engine.Metrics;

namespace Kukai.Results;

/// <summary><c>timeseries.csv</c> (SPEC §4): one row per second per driver, counts for that second.</summary>
public static class TimeseriesCsv
{
    public const string Header = "second,driver_id,sent,completed,errors,rps,p50_ms,p90_ms,p99_ms,max_ms";

    private static readonly string[] Columns = Header.Split(',');

    public static void Write(Stream stream, IEnumerable<TimeseriesRow> rows)
    {
        using var w = new StreamWriter(stream, new UTF8Encoding(false), 64 * 1024, leaveOpen: true) { NewLine = "\n" };
        w.WriteLine(Header);
        foreach (var r in rows)
        {
            w.WriteLine(string.Join(
                ',',
                r.Second.ToString(CultureInfo.InvariantCulture),
                Escape(r.DriverId),
                r.Sent.ToString(CultureInfo.InvariantCulture),
                r.Completed.ToString(CultureInfo.InvariantCulture),
                r.Errors.ToString(CultureInfo.InvariantCulture),
                F(r.Rps),
                F(r.P50Ms),
                F(r.P90Ms),
                F(r.P99Ms),
                F(r.MaxMs)));
        }
    }

    /// <summary>Reads rows written by <see cref="Write"/>.</summary>
    public static IReadOnlyList<TimeseriesRow> Read(string path)
    {
        var rows = new List<TimeseriesRow>();
        using var reader = new StreamReader(path);
        var header = reader.ReadLine();
        if (header != Header)
        {
            throw new InvalidDataException($"{path}:1: expected the header '{Header}'");
        }

        var lineNo = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNo++;
            if (line.Length == 0)
            {
                continue;
            }

            var f = SplitCsv(line);
            if (f.Count != 10)
            {
                throw new InvalidDataException($"{path}:{lineNo}: expected 10 fields, found {f.Count}");
            }

            long Integer(int i) => long.TryParse(f[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)
                ? v
                : throw Bad(i, "an integer");
            double Number(int i) => double.TryParse(f[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
                ? v
                : throw Bad(i, "a number");
            InvalidDataException Bad(int i, string what) =>
                new($"{path}:{lineNo}: {Columns[i]} '{f[i]}' is not {what}");

            rows.Add(new TimeseriesRow(
                Integer(0), f[1], Integer(2), Integer(3), Integer(4), Number(5), Number(6), Number(7), Number(8), Number(9)));
        }

        return rows;
    }

    private static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Escape(string s) =>
        s.AsSpan().IndexOfAny(",\"\n\r") < 0 ? s : "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static List<string> SplitCsv(string line)
    {
        var fields = new List<string>();
        var sb = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    sb.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    sb.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(sb.ToString());
                sb.Clear();
            }
            else
            {
                sb.Append(c);
            }
        }

        fields.Add(sb.ToString());
        return fields;
    }
}
