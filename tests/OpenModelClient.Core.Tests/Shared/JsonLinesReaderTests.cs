using System.Text;
using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Tests.Shared;

public class JsonLinesReaderTests
{
    private static readonly string[] Objects = ["""{"a":1}""", """{"b":"x y","u":"é☃"}""", """{"c":[1,2,{"d":null}]}"""];

    /// <summary>Newline kind × one byte per read × final newline or not × sync or async.</summary>
    public static TheoryData<string, bool, bool, bool> Matrix()
    {
        var data = new TheoryData<string, bool, bool, bool>();
        foreach (var newline in new[] { "\n", "\r\n" })
        {
            foreach (var trickle in new[] { false, true })
            {
                foreach (var finalNewline in new[] { false, true })
                {
                    foreach (var isAsync in new[] { false, true })
                    {
                        data.Add(newline == "\n" ? "LF" : "CRLF", trickle, finalNewline, isAsync);
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task ReadLine_Matrix_YieldsEachObjectExactly(string newlineName, bool trickle, bool finalNewline, bool isAsync)
    {
        string newline = newlineName == "LF" ? "\n" : "\r\n";
        string text = string.Join(newline, Objects) + (finalNewline ? newline : "");
        var (lines, terminated, reads) = await ReadAllAsync(text, trickle, isAsync);

        Assert.Equal(Objects, lines);
        Assert.Equal([true, true, finalNewline], terminated);
        if (trickle)
        {
            Assert.Equal(Encoding.UTF8.GetByteCount(text), reads);
        }
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task ReadLine_BlankAndWhitespaceLines_AreSkipped(string newlineName, bool trickle, bool finalNewline, bool isAsync)
    {
        string nl = newlineName == "LF" ? "\n" : "\r\n";
        string text = nl + Objects[0] + nl + nl + "  \t" + nl + Objects[1] + nl + " " + (finalNewline ? nl : "");
        var (lines, _, _) = await ReadAllAsync(text, trickle, isAsync);

        Assert.Equal(Objects[..2], lines);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReadLine_EmptyStream_ReturnsFalse(bool isAsync)
    {
        var (lines, _, _) = await ReadAllAsync("", trickle: true, isAsync);
        Assert.Empty(lines);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReadLine_LoneCarriageReturn_IsNotALineEnd(bool isAsync)
    {
        var (lines, _, _) = await ReadAllAsync("a\rb\nc", trickle: true, isAsync);
        Assert.Equal(["a\rb", "c"], lines);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public async Task ReadLine_LinesLongerThanTheInitialBuffer_ArriveWhole(bool trickle, bool isAsync)
    {
        string big = "{\"x\":\"" + new string('y', 20_000) + "\"}";
        string text = Objects[0] + "\n" + big + "\r\n" + Objects[2];
        var (lines, terminated, _) = await ReadAllAsync(text, trickle, isAsync);

        Assert.Equal([Objects[0], big, Objects[2]], lines);
        Assert.Equal([true, true, false], terminated);
    }

    [Fact]
    public void ReadLine_CutInsideAnObject_ReturnsThePartAsUnterminated()
    {
        using var stream = new TrickleStream(Encoding.UTF8.GetBytes(Objects[0] + "\n{\"b\":\"x"));
        using var reader = new JsonLinesReader(stream);

        Assert.True(reader.ReadLine());
        Assert.True(reader.IsCurrentLineTerminated);
        Assert.True(reader.ReadLine());
        Assert.False(reader.IsCurrentLineTerminated);
        Assert.Equal("{\"b\":\"x", Encoding.UTF8.GetString(reader.Current.Span));
        Assert.Equal(2, reader.LineCount);
        Assert.False(reader.ReadLine());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReadLine_LineOverTheLimit_ThrowsInvalidData(bool isAsync)
    {
        using var stream = new TrickleStream(Encoding.UTF8.GetBytes("{\"a\":\"0123456789\"}\n"), maxBytesPerRead: 4);
        using var reader = new JsonLinesReader(stream, maxLineBytes: 8);

        if (isAsync)
        {
            await Assert.ThrowsAsync<InvalidDataException>(async () => await reader.ReadLineAsync(TestContext.Current.CancellationToken));
        }
        else
        {
            Assert.Throws<InvalidDataException>(() => reader.ReadLine());
        }
    }

    [Fact]
    public async Task ReadLineAsync_CanceledToken_Throws()
    {
        using var stream = new TrickleStream(Encoding.UTF8.GetBytes(Objects[0] + "\n"));
        using var reader = new JsonLinesReader(stream);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await reader.ReadLineAsync(cts.Token));
    }

    private static async Task<(List<string> Lines, List<bool> Terminated, int Reads)> ReadAllAsync(string text, bool trickle, bool isAsync)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        using var stream = new TrickleStream(bytes, trickle ? 1 : int.MaxValue);
        using var reader = new JsonLinesReader(stream);
        var lines = new List<string>();
        var terminated = new List<bool>();
        while (isAsync ? await reader.ReadLineAsync(TestContext.Current.CancellationToken) : reader.ReadLine())
        {
            lines.Add(Encoding.UTF8.GetString(reader.Current.Span));
            terminated.Add(reader.IsCurrentLineTerminated);
        }

        Assert.Equal(lines.Count, reader.LineCount);
        return (lines, terminated, stream.Reads);
    }
}
