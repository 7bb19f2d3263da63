namespace Kukai.Results.Arrow;

/// <summary>The schema of <c>requests.arrow</c> (SPEC §4): only <c>error</c> is nullable.</summary>
public static class RequestRowSchema
{
    public const string Timestamp = "timestamp";
    public const string DriverId = "driver_id";
    public const string Target = "target";
    public const string LatencyUs = "latency_us";
    public const string Status = "status";
    public const string Success = "success";
    public const string Error = "error";
    public const string BytesSent = "bytes_sent";
    public const string BytesReceived = "bytes_received";

    /// <summary>Fields in file order.</summary>
    public static ArrowSchema Schema { get; } = new(
    [
        new ArrowField(Timestamp, ArrowType.Timestamp(ArrowTimeUnit.Nanosecond, "UTC"), IsNullable: false),
        new ArrowField(DriverId, ArrowType.Utf8, IsNullable: false),
        new ArrowField(Target, ArrowType.Utf8, IsNullable: false),
        new ArrowField(LatencyUs, ArrowType.Int64, IsNullable: false),
        new ArrowField(Status, ArrowType.Int32, IsNullable: false),
        new ArrowField(Success, ArrowType.Bool, IsNullable: false),
        new ArrowField(Error, ArrowType.Utf8, IsNullable: true),
        new ArrowField(BytesSent, ArrowType.Int64, IsNullable: false),
        new ArrowField(BytesReceived, ArrowType.Int64, IsNullable: false),
    ]);
}
