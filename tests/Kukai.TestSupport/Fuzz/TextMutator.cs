using System.Text;

namespace Kukai.TestSupport.Fuzz;

/// <summary>
/// Random mutations of a text document for fuzzing parsers: deletes, inserts, duplicates and flips characters, swaps,
/// copies and drops lines, truncates, and injects tokens that parsers trip on (quotes, brackets, escapes, control
/// characters, unusual Unicode, huge and special numbers, deep nesting, long strings). Deterministic for a given
/// <see cref="Random"/>. Not thread-safe.
/// </summary>
public sealed class TextMutator(Random random)
{
    private static readonly string[] Tokens =
    [
        "\"", "'", "\"\"\"", "'''", "[", "]", "[[", "]]", "{", "}", "=", ",", ".", "#", "\\", "\\u", "\\U0010FFFF", "\\uD800",
        "\\x41", "\\\"", "\n", "\r", "\r\n", "\t", "\0", "\u0001", "\u007f", "é", "日本", "😀", "\u2028", "\u0085", "\uFEFF",
        "\uD800", "\uDC00", "\uFFFF", "99999999999999999999999", "-9223372036854775809", "9223372036854775807", "1e309",
        "-1e-400", "-0", "nan", "+inf", "-inf", "0x", "0xFFFFFFFFFFFFFFFFF", "0b102", "0o9", "1__0", "1_000", "+1", "01",
        "1.", ".5", "1979-05-27T07:32:00Z", "1979-13-45", "07:32:60", "true", "false", "null", "[]", "{}", "[{}]",
        "\"\" = 1", "a.b.c = 1", "[load]", "[[load.targets]]", "[load.headers]", "type = \"tsunami\"", "rps = -1",
        "targets = []", "url = \"http://[::1\"", "url = \"http://127.0.0.1:0/\"", "port = 0",
    ];

    private readonly List<string> _applied = [];

    /// <summary>The mutations applied by the last <see cref="Mutate"/>, for failure messages.</summary>
    public string LastMutations => string.Join(", ", _applied);

    /// <summary>Applies one to four random mutations.</summary>
    public string Mutate(string text)
    {
        _applied.Clear();
        var count = random.Next(1, 5);
        for (var i = 0; i < count; i++)
        {
            text = MutateOnce(text);
        }

        return text;
    }

    private string MutateOnce(string text)
    {
        var at = random.Next(text.Length + 1);
        switch (random.Next(12))
        {
            case 0:
                var length = Math.Min(random.Next(1, 9), text.Length - at);
                _applied.Add($"delete {length} at {at}");
                return text.Remove(at, length);
            case 1:
            case 2:
                var token = Tokens[random.Next(Tokens.Length)];
                _applied.Add($"insert token at {at}");
                return text.Insert(at, token);
            case 3:
                var from = random.Next(text.Length + 1);
                var span = text.Substring(from, Math.Min(random.Next(1, 40), text.Length - from));
                _applied.Add($"duplicate {span.Length} chars from {from} at {at}");
                return text.Insert(at, span);
            case 4:
                if (at == text.Length)
                {
                    return text;
                }

                _applied.Add($"flip char at {at}");
                return string.Concat(text.AsSpan(0, at), RandomChar(), text.AsSpan(at + 1));
            case 5:
                return EditLines(text, swap: true);
            case 6:
                return EditLines(text, swap: false);
            case 7:
                _applied.Add($"truncate at {at}");
                return text[..at];
            case 8:
                var depth = random.Next(1, 300);
                var open = random.Next(2) == 0 ? "[" : "{ a = ";
                var close = open == "[" ? "]" : " }";
                _applied.Add($"nest {depth} at {at}");
                return text.Insert(at, Repeat(open, depth) + "1" + Repeat(close, random.Next(depth + 1)));
            case 9:
                var n = random.Next(1, 20_000);
                _applied.Add($"long string {n} at {at}");
                return text.Insert(at, new string((char)random.Next('a', 'z' + 1), n));
            case 10:
                return ReplaceNumber(text);
            default:
                var lines = text.Split('\n').ToList();
                var line = random.Next(lines.Count);
                _applied.Add($"drop line {line}");
                lines.RemoveAt(line);
                return string.Join('\n', lines);
        }
    }

    private string EditLines(string text, bool swap)
    {
        var lines = text.Split('\n');
        var a = random.Next(lines.Length);
        var b = random.Next(lines.Length);
        if (swap)
        {
            _applied.Add($"swap lines {a} and {b}");
            (lines[a], lines[b]) = (lines[b], lines[a]);
            return string.Join('\n', lines);
        }

        _applied.Add($"copy line {a} before {b}");
        var list = lines.ToList();
        list.Insert(b, lines[a]);
        return string.Join('\n', list);
    }

    private string ReplaceNumber(string text)
    {
        var digits = new List<int>();
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsAsciiDigit(text[i]) && (i == 0 || !char.IsAsciiDigit(text[i - 1])))
            {
                digits.Add(i);
            }
        }

        if (digits.Count == 0)
        {
            return text;
        }

        var start = digits[random.Next(digits.Count)];
        var end = start;
        while (end < text.Length && char.IsAsciiDigit(text[end]))
        {
            end++;
        }

        string[] numbers = ["0", "-1", "2147483648", "-2147483649", "9223372036854775807", "18446744073709551616", "1e308", "1e-308", "0.0000001", "3.5"];
        var number = numbers[random.Next(numbers.Length)];
        _applied.Add($"number {number} at {start}");
        return string.Concat(text.AsSpan(0, start), number, text.AsSpan(end));
    }

    private string RandomChar() => random.Next(4) switch
    {
        0 => ((char)random.Next(0x20, 0x7f)).ToString(),
        1 => ((char)random.Next(0, 0x20)).ToString(),
        2 => char.ConvertFromUtf32(random.Next(0x80, 0xD800)),
        _ => Tokens[random.Next(Tokens.Length)],
    };

    private static string Repeat(string s, int count) => new StringBuilder(s.Length * count).Insert(0, s, count).ToString();
}
