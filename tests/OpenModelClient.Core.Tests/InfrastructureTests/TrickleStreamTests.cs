using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Tests.InfrastructureTests;

public sealed class TrickleStreamTests
{
    [Fact]
    public async Task Returns_one_byte_per_read_by_default()
    {
        using var stream = new TrickleStream("data: x\n\n"u8.ToArray());
        var buffer = new byte[64];
        var received = new List<byte>();

        int read;
        while ((read = await stream.ReadAsync(buffer, TestContext.Current.CancellationToken)) > 0)
        {
            Assert.Equal(1, read);
            received.Add(buffer[0]);
        }

        Assert.Equal("data: x\n\n"u8.ToArray(), received);
        Assert.Equal(9, stream.Reads);
    }

    [Fact]
    public void Caps_sync_reads_over_another_stream()
    {
        using var stream = new TrickleStream(new MemoryStream([1, 2, 3, 4, 5]), maxBytesPerRead: 2);
        var buffer = new byte[10];

        Assert.Equal(2, stream.Read(buffer, 0, 10));
        Assert.Equal(2, stream.Read(buffer.AsSpan()));
        Assert.Equal(1, stream.Read(buffer, 0, 10));
        Assert.Equal(0, stream.Read(buffer, 0, 10));
        Assert.False(stream.CanSeek);
    }
}
