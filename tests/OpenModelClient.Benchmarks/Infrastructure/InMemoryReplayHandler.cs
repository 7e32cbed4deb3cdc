using System.Net;
using System.Net.Http.Headers;

namespace OpenModelClient.Benchmarks;

/// <summary>
/// Answers every request from <see cref="BenchmarkPayloads"/> in memory, streamed bodies in the replay server's 16 KB slices: no socket,
/// no server, no scheduler. What remains of a benchmark's time is the client's own work, free of the loopback's noise.
/// </summary>
internal sealed class InMemoryReplayHandler : HttpMessageHandler
{
    public static Uri BaseAddress { get; } = new("http://in-memory.invalid/");

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        int end = path.IndexOf('/', 1);
        var payload = BenchmarkPayloads.Get(end < 0 ? path[1..] : path[1..end]);
        if (payload is null)
        {
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound) { RequestMessage = request });
        }

        var content = new StreamContent(new SlicedReadStream(payload.Body, payload.IsStream ? 16 * 1024 : payload.Body.Length));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(payload.ContentType);
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
    }

    /// <summary>A read-only view of a byte array that hands out at most one slice per read, as a network stream would.</summary>
    private sealed class SlicedReadStream(byte[] body, int sliceBytes) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => body.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n = Math.Min(Math.Min(buffer.Length, sliceBytes), body.Length - _position);
            body.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
