namespace Kukai.Engine.Metrics;

/// <summary>
/// Receives per-request records in chunks while a test runs (for <c>requests.arrow</c>).
/// </summary>
/// <remarks>
/// <see cref="Submit"/> is called from load threads and may block to apply back-pressure when the sink falls
/// behind (a slower disk slows the load rather than losing rows or growing memory). The sink owns a submitted
/// array until it hands it back through <see cref="Rent"/>.
/// </remarks>
public interface IRequestRecordSink
{
    /// <summary>An empty chunk to fill (length is the chunk capacity).</summary>
    RequestRecord[] Rent();

    /// <summary>Hands over the first <paramref name="count"/> records of <paramref name="chunk"/>.</summary>
    void Submit(RequestRecord[] chunk, int count);
}
