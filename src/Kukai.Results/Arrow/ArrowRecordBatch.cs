namespace Kukai.Results.Arrow;

/// <summary>Equal-length columns in schema order, as read from one record-batch message.</summary>
public sealed class ArrowRecordBatch
{
    private readonly ArrowArray[] _columns;

    internal ArrowRecordBatch(ArrowSchema schema, int length, ArrowArray[] columns)
    {
        Schema = schema;
        Length = length;
        _columns = columns;
    }

    public ArrowSchema Schema { get; }

    /// <summary>Row count.</summary>
    public int Length { get; }

    public IReadOnlyList<ArrowArray> Columns => _columns;

    /// <summary>The first column named <paramref name="name"/> (ordinal comparison).</summary>
    public ArrowArray Column(string name)
    {
        foreach (var column in _columns)
        {
            if (column.Field.Name == name)
            {
                return column;
            }
        }

        throw new KeyNotFoundException($"The record batch has no column '{name}'.");
    }
}
