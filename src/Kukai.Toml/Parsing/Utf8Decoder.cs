using System.Buffers;
using System.Text.Unicode;

namespace Kukai.Toml.Parsing;

/// <summary>Strict UTF-8 decoding that reports the line and column of the first invalid byte sequence.</summary>
internal static class Utf8Decoder
{
    public static string Decode(ReadOnlySpan<byte> bytes, string fileName)
    {
        // UTF-16 never needs more code units than UTF-8 has bytes.
        char[] buffer = new char[bytes.Length];
        OperationStatus status = Utf8.ToUtf16(bytes, buffer, out int read, out int written, replaceInvalidSequences: false);
        if (status == OperationStatus.Done)
        {
            return new string(buffer, 0, written);
        }

        // Everything before `read` decoded fine: find the line and column of the bad byte from it.
        int line = 1;
        int column = 1;
        for (int i = 0; i < written; i++)
        {
            char c = buffer[i];
            if (c == '\n')
            {
                line++;
                column = 1;
            }
            else if (!char.IsLowSurrogate(c) && !(i == 0 && c == '\uFEFF'))
            {
                column++;
            }
        }

        throw new TomlException(fileName, line, column, $"invalid UTF-8 byte sequence starting with byte 0x{bytes[read]:X2} (file offset {read})");
    }
}
