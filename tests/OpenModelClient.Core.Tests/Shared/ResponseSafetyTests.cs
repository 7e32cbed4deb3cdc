using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.AI;
using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Tests.Shared;

/// <summary>A broken or hostile server cannot make the client allocate without bound, follow it elsewhere with the key, or end quietly.</summary>
public class ResponseSafetyTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_10_MB_line_in_a_stream_is_refused_with_a_clear_error()
    {
        var body = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + new string('x', 10 * 1024 * 1024) + "\"}}]}\n\n";
        await using var server = await ReplayServer.StartAsync(ReplayResponse.Sse(body).WithChunking(ReplayChunking.Whole));
        using var client = new LlamaCppChatClient(server.BaseAddress);

        var e = await Assert.ThrowsAsync<OpenModelProtocolException>(async () =>
        {
            await foreach (var _ in client.GetStreamingResponseAsync("hi", cancellationToken: Ct))
            {
            }
        });

        Assert.Contains("exceeded 8388608 bytes", e.Message, StringComparison.Ordinal);
        Assert.False(e.IsTruncated);
        await server.WaitForClientConnectionsReleasedAsync(Patience);
    }

    [Fact]
    public async Task A_10_MB_line_in_an_ndjson_stream_is_refused_with_a_clear_error()
    {
        var body = "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"" + new string('x', 10 * 1024 * 1024) + "\"},\"done\":false}\n";
        await using var server = await ReplayServer.StartAsync(ReplayResponse.Ndjson(body).WithChunking(ReplayChunking.Whole));
        using var client = new OllamaChatClient(server.BaseAddress, "m");

        var e = await Assert.ThrowsAnyAsync<OpenModelException>(async () =>
        {
            await foreach (var _ in client.GetStreamingResponseAsync("hi", cancellationToken: Ct))
            {
            }
        });

        Assert.Equal(OpenModelErrorKind.Protocol, e.Kind);
        Assert.Contains("longer than 8388608 bytes", e.Message, StringComparison.Ordinal);
        await server.WaitForClientConnectionsReleasedAsync(Patience);
    }

    [Fact]
    public async Task A_redirect_is_not_followed_so_the_key_stays_with_the_configured_host()
    {
        await using var elsewhere = await ReplayServer.StartAsync(ReplayResponse.FromFixture("llama.cpp", "chat-nonstream-length"));
        await using var server = await ReplayServer.StartAsync(ReplayResponse.Json(307, "{}", ("Location", new Uri(elsewhere.BaseAddress, "v1/chat/completions").ToString())));
        using var client = new LlamaCppChatClient(server.BaseAddress, options: new LlamaCppClientOptions { ApiKey = "sk-must-not-travel" });

        var e = await Assert.ThrowsAsync<InvalidRequestException>(() => client.GetResponseAsync("hi", cancellationToken: Ct));

        Assert.Equal("redirect_not_followed", e.ErrorCode);
        Assert.Contains(elsewhere.BaseAddress.Authority, e.Message, StringComparison.Ordinal);
        Assert.Empty(elsewhere.Requests);
        Assert.DoesNotContain("sk-must-not-travel", e.ToString(), StringComparison.Ordinal);
        await server.WaitForClientConnectionsReleasedAsync(Patience);
    }

    [Fact]
    public async Task A_truncated_gzip_body_is_a_protocol_error_not_a_crash()
    {
        var json = HttpTranscript.Load("llama.cpp", "chat-nonstream-length").Body;
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(json);
        }

        var truncated = compressed.ToArray()[..(int)(compressed.Length / 2)];
        await using var server = await ReplayServer.StartAsync(ReplayResponse.Raw(200, "application/json", truncated).WithHeader("Content-Encoding", "gzip"));
        using var client = new LlamaCppChatClient(server.BaseAddress);

        var e = await Assert.ThrowsAsync<OpenModelProtocolException>(() => client.GetResponseAsync("hi", cancellationToken: Ct));

        Assert.Equal(OpenModelErrorKind.Protocol, e.Kind);
        await server.WaitForClientConnectionsReleasedAsync(Patience);
    }

    [Fact]
    public async Task A_whole_gzip_body_is_decompressed()
    {
        var json = HttpTranscript.Load("llama.cpp", "chat-nonstream-length").Body;
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(json);
        }

        await using var server = await ReplayServer.StartAsync(ReplayResponse.Raw(200, "application/json", compressed.ToArray()).WithHeader("Content-Encoding", "gzip"));
        using var client = new LlamaCppChatClient(server.BaseAddress);

        var response = await client.GetResponseAsync("hi", cancellationToken: Ct);

        Assert.Equal("(@\" uint edge Backgroundatlea Eclipsecept", response.Text);
    }

    [Fact]
    public async Task A_body_reset_mid_way_is_a_truncated_protocol_error()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.FromFixture("llama.cpp", "chat-nonstream-length").CutAfterBytes(100));
        using var client = new LlamaCppChatClient(server.BaseAddress);

        var e = await Assert.ThrowsAsync<OpenModelProtocolException>(() => client.GetResponseAsync("hi", cancellationToken: Ct));

        Assert.True(e.IsTruncated);
        await server.WaitForClientConnectionsReleasedAsync(Patience);
    }

    [Fact]
    public async Task The_limits_are_configurable_per_client_and_named_when_exceeded()
    {
        var limits = new OpenModelResponseLimits { MaxLineBytes = 1024, MaxStreamBytes = 64 * 1024, MaxBodyBytes = 512 };

        // A 4 KB SSE line against a 1 KB line limit.
        var longLine = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + new string('x', 4096) + "\"}}]}\n\n";
        await using (var server = await ReplayServer.StartAsync(ReplayResponse.Sse(longLine)))
        {
            using var client = new LlamaCppChatClient(server.BaseAddress, options: new LlamaCppClientOptions { ResponseLimits = limits });
            var e = await Assert.ThrowsAsync<OpenModelProtocolException>(() => client.GetStreamingResponseAsync("hi", cancellationToken: Ct).ToChatResponseAsync(Ct));
            Assert.Contains("exceeded 1024 bytes", e.Message, StringComparison.Ordinal);
        }

        // 100 short SSE chunks (about 100 KB) against a 64 KB stream limit.
        var chunk = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + new string('y', 900) + "\"}}]}\n\n";
        await using (var server = await ReplayServer.StartAsync(ReplayResponse.Sse(string.Concat(Enumerable.Repeat(chunk, 100)) + "data: [DONE]\n\n")))
        {
            using var client = new LlamaCppChatClient(server.BaseAddress, options: new LlamaCppClientOptions { ResponseLimits = limits });
            var e = await Assert.ThrowsAsync<OpenModelProtocolException>(() => client.GetStreamingResponseAsync("hi", cancellationToken: Ct).ToChatResponseAsync(Ct));
            Assert.Contains($"exceeded {64 * 1024} bytes", e.Message, StringComparison.Ordinal);
        }

        // The same stream limit on Ollama's NDJSON.
        var line = "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"" + new string('z', 900) + "\"},\"done\":false}\n";
        await using (var server = await ReplayServer.StartAsync(ReplayResponse.Ndjson(string.Concat(Enumerable.Repeat(line, 100)))))
        {
            using var client = new OllamaChatClient(server.BaseAddress, "m", options: new OllamaChatClientOptions { ResponseLimits = limits });
            var e = await Assert.ThrowsAsync<OpenModelProtocolException>(() => client.GetStreamingResponseAsync("hi", cancellationToken: Ct).ToChatResponseAsync(Ct));
            Assert.Contains($"exceeded {64 * 1024} bytes", e.Message, StringComparison.Ordinal);
        }

        // A non-streamed body larger than MaxBodyBytes.
        await using (var server = await ReplayServer.StartAsync(ReplayResponse.FromFixture("llama.cpp", "chat-nonstream-length")))
        {
            using var client = new LlamaCppChatClient(server.BaseAddress, options: new LlamaCppClientOptions { ResponseLimits = limits });
            var e = await Assert.ThrowsAsync<OpenModelProtocolException>(() => client.GetResponseAsync("hi", cancellationToken: Ct));
            Assert.Contains("exceeded 512 bytes", e.Message, StringComparison.Ordinal);
        }

        // An embeddings body larger than MaxBodyBytes.
        var vectors = "{\"model\":\"m\",\"embeddings\":[[" + string.Join(',', Enumerable.Repeat("0.125", 200)) + "],[" + string.Join(',', Enumerable.Repeat("0.25", 200)) + "]]}";
        await using (var server = await ReplayServer.StartAsync(ReplayResponse.Json(200, vectors)))
        {
            using var generator = new OllamaEmbeddingGenerator(server.BaseAddress, "m", options: new OllamaEmbeddingGeneratorOptions { ResponseLimits = limits });
            var e = await Assert.ThrowsAsync<OpenModelProtocolException>(() => generator.GenerateAsync(["a", "b"], cancellationToken: Ct));
            Assert.Contains("exceeded 512 bytes", e.Message, StringComparison.Ordinal);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => new LlamaCppChatClient(new Uri("http://localhost:1/"), options: new LlamaCppClientOptions { ResponseLimits = new() { MaxLineBytes = 0 } }));
    }

    [Fact]
    public async Task A_huge_error_body_is_read_only_as_far_as_its_message_needs()
    {
        // 20 MB of error body: the typed error still comes, from the first 256 KB, and the rest is never buffered.
        var huge = "{\"error\":{\"code\":500,\"message\":\"boom\",\"type\":\"server_error\",\"padding\":\"" + new string('p', 20 * 1024 * 1024) + "\"}}";
        await using var server = await ReplayServer.StartAsync(ReplayResponse.Json(500, huge));
        using var client = new LlamaCppChatClient(server.BaseAddress);

        var e = await Assert.ThrowsAnyAsync<OpenModelException>(() => client.GetResponseAsync("hi", cancellationToken: Ct));

        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, e.StatusCode);
        Assert.Contains("boom", e.ProviderMessage, StringComparison.Ordinal); // from the first bytes, as text: the prefix is not whole JSON

        await server.WaitForClientConnectionsReleasedAsync(Patience);
    }

    [Fact]
    public void The_line_bound_counts_across_reads_and_resets_at_each_line_break()
    {
        var data = Encoding.ASCII.GetBytes("aaaa\nbbbb\ncccccc");
        using var ok = new BoundedReadStream(new TrickleStream(data[..10]), 100, 4);
        var buffer = new byte[16];
        while (ok.Read(buffer, 0, buffer.Length) > 0)
        {
        }

        using var tooLong = new BoundedReadStream(new TrickleStream(data), 100, 4);
        Assert.Throws<InvalidDataException>(() =>
        {
            while (tooLong.Read(buffer, 0, buffer.Length) > 0)
            {
            }
        });

        // A long line that ends inside one large read is caught too, not only one still open at the end of a read.
        using var endsInOneRead = new BoundedReadStream(new MemoryStream(Encoding.ASCII.GetBytes("aaaaaaaa\nb")), 100, 4);
        Assert.Throws<InvalidDataException>(() => endsInOneRead.Read(buffer, 0, buffer.Length));

        using var tooBig = new BoundedReadStream(new MemoryStream(data), 8, 100);
        Assert.Throws<InvalidDataException>(() => tooBig.Read(buffer, 0, buffer.Length));

        // A long line between two short ones, all inside one read.
        using var inTheMiddle = new BoundedReadStream(new MemoryStream(Encoding.ASCII.GetBytes("a\nbbbbbbbb\nc")), 100, 4);
        Assert.Throws<InvalidDataException>(() => inTheMiddle.Read(buffer, 0, buffer.Length));
    }

    [Fact]
    public async Task Small_reads_are_served_from_large_reads_of_the_network_with_every_byte_in_order()
    {
        var body = new byte[(3 * BoundedReadStream.BlockBytes) + 123];
        for (int i = 0; i < body.Length; i++)
        {
            body[i] = (byte)(i % 7 == 6 ? '\n' : 'a' + (i % 26));
        }

        var inner = new ReadCountingStream(body);
        await using var stream = new BoundedReadStream(inner, body.Length, 8);
        var received = new MemoryStream();
        var small = new byte[1024]; // what SseParser asks for
        int n;
        while ((n = await stream.ReadAsync(small, Ct)) > 0)
        {
            received.Write(small, 0, n);
        }

        Assert.Equal(body, received.ToArray());
        Assert.Equal(5, inner.Reads); // four blocks (the last one partial) and the end of the stream, not one read per KB

        // A caller with a buffer of a block or more reads straight through.
        var direct = new ReadCountingStream(body);
        await using var passThrough = new BoundedReadStream(direct, body.Length, 8);
        var large = new byte[BoundedReadStream.BlockBytes * 4];
        Assert.Equal(body.Length, await passThrough.ReadAsync(large, Ct));
        Assert.Equal(1, direct.Reads);
    }

    [Fact]
    public async Task The_limits_hold_for_small_reads_across_blocks()
    {
        // One 20 KB line: longer than a block, so it spans two network reads, each counted before any byte reaches the caller.
        var line = Encoding.ASCII.GetBytes(new string('x', 20 * 1024) + "\n");
        await using var stream = new BoundedReadStream(new MemoryStream(line), long.MaxValue, 18 * 1024);
        var small = new byte[1024];
        await Assert.ThrowsAsync<InvalidDataException>(async () =>
        {
            while (await stream.ReadAsync(small, Ct) > 0)
            {
            }
        });

        await using var total = new BoundedReadStream(new MemoryStream(new byte[BoundedReadStream.BlockBytes * 2]), BoundedReadStream.BlockBytes + 1, int.MaxValue);
        await Assert.ThrowsAsync<InvalidDataException>(async () =>
        {
            while (await total.ReadAsync(small, Ct) > 0)
            {
            }
        });
    }

    [Fact]
    public async Task An_error_body_is_read_no_further_than_256_KB()
    {
        var body = new ReadCountingStream(Encoding.ASCII.GetBytes("{\"error\":{\"message\":\"boom\",\"padding\":\"" + new string('p', 20 * 1024 * 1024) + "\"}}"));
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.InternalServerError) { Content = new StreamContent(body) };

        var e = await ProviderErrorMapper.FromResponseAsync("llama.cpp", response, Ct);

        Assert.Contains("boom", e.ProviderMessage, StringComparison.Ordinal);
        Assert.InRange(body.BytesRead, 1, 256 * 1024);
    }

    /// <summary>A memory stream that counts the reads made on it (its asynchronous reads call these).</summary>
    private sealed class ReadCountingStream(byte[] data) : MemoryStream(data, writable: false)
    {
        public int Reads { get; private set; }

        public long BytesRead { get; private set; }

        public override int Read(Span<byte> buffer)
        {
            Reads++;
            int n = base.Read(buffer);
            BytesRead += n;
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Reads++;
            int n = base.Read(buffer, offset, count);
            BytesRead += n;
            return n;
        }
    }
}
