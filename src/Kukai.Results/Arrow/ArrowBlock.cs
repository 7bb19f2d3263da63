namespace Kukai.Results.Arrow;

/// <summary>
/// A footer entry locating one encapsulated message in the file: <see cref="Offset"/> is the file position of
/// its first byte (the continuation marker), <see cref="MetaDataLength"/> covers prefix, flatbuffer and
/// padding, and the body of <see cref="BodyLength"/> bytes follows immediately.
/// </summary>
internal readonly record struct ArrowBlock(long Offset, int MetaDataLength, long BodyLength)
{
    public long End => Offset + MetaDataLength + BodyLength;
}
