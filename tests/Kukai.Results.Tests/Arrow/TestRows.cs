using System.Globalization;
using System.Text.Json;
using Kukai.Results.Arrow;

namespace Kukai.Results.Tests.Arrow;

/// <summary>Deterministic request rows and helpers to write them and compare them with apache-arrow's view.</summary>
internal static class TestRows
{
    private static readonly string[] DriverIds = ["driver-0", "driver-1", "ドライバ-2"];
    private static readonly string[] Targets = ["http://127.0.0.1:8080/", "127.0.0.1:9000", "ターゲット/ü", ""];
    private static readonly string?[] Errors = [null, "timeout", null, "", "接続エラー: reset 🚫", null, "http_5xx"];

    /// <summary>Rows mixing every column's interesting values: repeats, non-ASCII, empty strings, nulls.</summary>
    public static RequestRow[] Mixed(int count)
    {
        var rows = new RequestRow[count];
        for (int i = 0; i < count; i++)
        {
            rows[i] = new RequestRow(
                TimestampNs: 1_700_000_000_000_000_000 + (i * 1_234_567L),
                DriverId: DriverIds[i % DriverIds.Length],
                Target: Targets[i % Targets.Length],
                LatencyUs: i * 37L % 1_000_003,
                Status: i % 3 == 0 ? 0 : 200 + (i % 5),
                Success: i % 4 != 0,
                Error: Errors[i % Errors.Length],
                BytesSent: i * 100L,
                BytesReceived: -i);
        }

        return rows;
    }

    /// <summary>Extreme integer values and edge strings.</summary>
    public static RequestRow[] Extremes() =>
    [
        new(long.MinValue, "", "", long.MinValue, int.MinValue, false, "", long.MinValue, long.MinValue),
        new(long.MaxValue, "ü", "ターゲット/ü", long.MaxValue, int.MaxValue, true, null, long.MaxValue, long.MaxValue),
        new(0, "d", "t", 0, 0, true, "\0 nul and \t tab \"quoted\" \\", 0, 0),
        new(-1, new string('x', 5000), "𝄞 surrogate pair", -1, -1, false, new string('é', 3000), -1, -1),
    ];

    public static void Write(string path, IReadOnlyList<RequestRow> rows, int batchRows)
    {
        using var writer = new RequestRowWriter(File.Create(path), batchRows);
        foreach (var row in rows)
        {
            writer.Append(row);
        }

        writer.Complete();
    }

    /// <summary>Rows as JSON for write-arrow.mjs: 64-bit values as decimal strings.</summary>
    public static void WriteJson(string path, IReadOnlyList<RequestRow> rows)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream);
        json.WriteStartArray();
        foreach (var row in rows)
        {
            json.WriteStartObject();
            json.WriteString("timestamp", row.TimestampNs.ToString(CultureInfo.InvariantCulture));
            json.WriteString("driver_id", row.DriverId);
            json.WriteString("target", row.Target);
            json.WriteString("latency_us", row.LatencyUs.ToString(CultureInfo.InvariantCulture));
            json.WriteNumber("status", row.Status);
            json.WriteBoolean("success", row.Success);
            if (row.Error is null)
            {
                json.WriteNull("error");
            }
            else
            {
                json.WriteString("error", row.Error);
            }

            json.WriteString("bytes_sent", row.BytesSent.ToString(CultureInfo.InvariantCulture));
            json.WriteString("bytes_received", row.BytesReceived.ToString(CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>Asserts the schema apache-arrow reports is exactly SPEC §4's.</summary>
    public static void AssertNodeSchema(JsonElement schema)
    {
        string[] expected =
        [
            "timestamp|Timestamp<NANOSECOND, UTC>|Timestamp|False|NANOSECOND|UTC||",
            "driver_id|Utf8|Utf8|False||||",
            "target|Utf8|Utf8|False||||",
            "latency_us|Int64|Int|False|||64|True",
            "status|Int32|Int|False|||32|True",
            "success|Bool|Bool|False||||",
            "error|Utf8|Utf8|True||||",
            "bytes_sent|Int64|Int|False|||64|True",
            "bytes_received|Int64|Int|False|||64|True",
        ];
        var actual = schema.EnumerateArray().Select(f => string.Join('|',
            f.GetProperty("name").GetString(),
            f.GetProperty("type").GetString(),
            f.GetProperty("typeId").GetString(),
            f.GetProperty("nullable").GetBoolean(),
            Text(f.GetProperty("unit")),
            Text(f.GetProperty("timezone")),
            Text(f.GetProperty("bitWidth")),
            Text(f.GetProperty("isSigned")))).ToArray();
        Assert.Equal(expected, actual);
    }

    /// <summary>Asserts apache-arrow's rows equal <paramref name="expected"/>, value by value.</summary>
    public static void AssertNodeRows(JsonElement rows, IReadOnlyList<RequestRow> expected)
    {
        Assert.Equal(expected.Count, rows.GetArrayLength());
        int i = 0;
        foreach (var row in rows.EnumerateArray())
        {
            var e = expected[i];
            var actual = new RequestRow(
                long.Parse(row.GetProperty("timestamp").GetString()!, CultureInfo.InvariantCulture),
                row.GetProperty("driver_id").GetString()!,
                row.GetProperty("target").GetString()!,
                long.Parse(row.GetProperty("latency_us").GetString()!, CultureInfo.InvariantCulture),
                row.GetProperty("status").GetInt32(),
                row.GetProperty("success").GetBoolean(),
                row.GetProperty("error").GetString(),
                long.Parse(row.GetProperty("bytes_sent").GetString()!, CultureInfo.InvariantCulture),
                long.Parse(row.GetProperty("bytes_received").GetString()!, CultureInfo.InvariantCulture));
            Assert.True(e == actual, $"row {i}: expected {e}, apache-arrow read {actual}");
            i++;
        }
    }

    public static int[] BatchLengths(JsonElement root) =>
        [.. root.GetProperty("batchLengths").EnumerateArray().Select(e => e.GetInt32())];

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => "",
        JsonValueKind.True => "True",
        JsonValueKind.False => "False",
        _ => value.ToString(),
    };
}
