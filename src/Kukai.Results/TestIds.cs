using System.Globalization;

namespace Kukai.Results;

/// <summary>Test ids: sortable by start time, unique enough across machines (<c>20261121-103700-3fa2</c>).</summary>
public static class TestIds
{
    public static string New(TimeProvider time) =>
        time.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray(), 0, 2);
}
