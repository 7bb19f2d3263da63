namespace Kukai.Results.Arrow;

/// <summary>Resolution of an Arrow timestamp; the values match Arrow's <c>TimeUnit</c> enum.</summary>
public enum ArrowTimeUnit : short
{
    Second = 0,
    Millisecond = 1,
    Microsecond = 2,
    Nanosecond = 3,
}
