using System.Text;
using Kukai.Engine.Protocols;

namespace Kukai.Engine.Tests.Protocols;

public sealed class DelimiterScannerTests
{
    [Theory]
    [InlineData("hello\r\n\r\n", "\r\n\r\n")]
    [InlineData("xxaaab", "aab")]
    [InlineData("abababc", "ababc")]
    [InlineData("END", "END")]
    [InlineData("....\n", "\n")]
    public void Push_DelimiterSplitIntoThreeChunksAnywhere_FindsIt(string stream, string delimiter)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(stream);
        for (int a = 0; a <= bytes.Length; a++)
        {
            for (int b = a; b <= bytes.Length; b++)
            {
                var scanner = new DelimiterScanner(Encoding.ASCII.GetBytes(delimiter));
                bool found = scanner.Push(bytes.AsSpan(0, a)) | scanner.Push(bytes.AsSpan(a, b - a)) | scanner.Push(bytes.AsSpan(b));
                Assert.True(found, $"split at {a}, {b}");
            }
        }
    }

    [Fact]
    public void Push_OneByteAtATime_FindsDelimiterAtItsLastByte()
    {
        var scanner = new DelimiterScanner("\r\n\r\n"u8);
        byte[] bytes = Encoding.ASCII.GetBytes("ab\r\n\r\r\n\r\nrest");
        int foundAt = -1;
        for (int i = 0; i < bytes.Length && foundAt < 0; i++)
        {
            foundAt = scanner.Push(bytes.AsSpan(i, 1)) ? i : -1;
        }

        Assert.Equal(8, foundAt);
    }

    [Theory]
    [InlineData("aabaab", "aaa")]
    [InlineData("\r\n\r", "\r\n\r\n")]
    [InlineData("", "x")]
    public void Push_DelimiterAbsent_ReturnsFalseForEverySplit(string stream, string delimiter)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(stream);
        for (int a = 0; a <= bytes.Length; a++)
        {
            var scanner = new DelimiterScanner(Encoding.ASCII.GetBytes(delimiter));
            Assert.False(scanner.Push(bytes.AsSpan(0, a)) || scanner.Push(bytes.AsSpan(a)));
        }
    }

    [Fact]
    public void Reset_AfterPartialMatch_ForgetsIt()
    {
        var scanner = new DelimiterScanner("END"u8);
        scanner.Push("xEN"u8);

        scanner.Reset();

        Assert.False(scanner.Push("D"u8));
    }
}
