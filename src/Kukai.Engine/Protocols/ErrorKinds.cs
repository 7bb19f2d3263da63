using System.Runtime.CompilerServices;

namespace Kukai.Engine.Protocols;

/// <summary>The wire names of <see cref="ErrorKind"/> used in results files and the API (SPEC §3).</summary>
public static class ErrorKinds
{
    /// <summary>Every failure kind, in enum order (without <see cref="ErrorKind.None"/>).</summary>
    public static readonly ErrorKind[] All =
        [ErrorKind.Connect, ErrorKind.Timeout, ErrorKind.Reset, ErrorKind.Http4xx, ErrorKind.Http5xx, ErrorKind.Protocol];

    /// <summary>Number of enum values including <see cref="ErrorKind.None"/>; sizes per-kind counter arrays.</summary>
    public const int Count = 7;

    public static string ToWireName(this ErrorKind kind) => kind switch
    {
        ErrorKind.None => "none",
        ErrorKind.Connect => "connect",
        ErrorKind.Timeout => "timeout",
        ErrorKind.Reset => "reset",
        ErrorKind.Http4xx => "http_4xx",
        ErrorKind.Http5xx => "http_5xx",
        ErrorKind.Protocol => "protocol",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown error kind"),
    };

    public static bool TryParse(string name, out ErrorKind kind)
    {
        foreach (var k in All)
        {
            if (k.ToWireName() == name)
            {
                kind = k;
                return true;
            }
        }

        kind = ErrorKind.None;
        return name == "none";
    }

    /// <summary>Classifies an HTTP status code: 4xx and 5xx are failures, everything else succeeds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ErrorKind FromStatus(int status) => status switch
    {
        >= 400 and < 500 => ErrorKind.Http4xx,
        >= 500 and < 600 => ErrorKind.Http5xx,
        _ => ErrorKind.None,
    };
}
