using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Tests.InfrastructureTests;

public sealed class ReplayResponseTests
{
    [Fact]
    public void Streaming_bodies_default_to_per_event_chunking()
    {
        Assert.Equal(ReplayChunking.PerEvent, ReplayResponse.Sse("data: 1\n\n").Chunking);
        Assert.Equal(ReplayChunking.PerEvent, ReplayResponse.Ndjson("{}\n").Chunking);
        Assert.Equal(ReplayChunking.PerEvent, ReplayResponse.FromFixture("llama.cpp", "chat-stream").Chunking);
        Assert.Equal(ReplayChunking.Whole, ReplayResponse.FromFixture("llama.cpp", "props").Chunking);
        Assert.Equal(ReplayChunking.PerByte, ReplayResponse.Json(200, "{}").WithChunking(ReplayChunking.PerByte).Chunking);
    }

    [Fact]
    public void With_methods_return_copies()
    {
        var original = ReplayResponse.Json(200, "{}", ("X-A", "1"));
        var changed = original.WithHeader("X-A", "2").WithFirstByteDelay(TimeSpan.FromSeconds(1)).ForRequest("GET", "/x");

        Assert.Equal("1", original.Header("X-A"));
        Assert.Equal(TimeSpan.Zero, original.FirstByteDelay);
        Assert.Null(original.RouteMethod);
        Assert.Equal("2", changed.Header("x-a"));
        Assert.Equal("/x", changed.RoutePathAndQuery);
    }

    [Fact]
    public void Transcript_connection_headers_are_left_to_kestrel()
    {
        var response = ReplayResponse.FromFixture("llama.cpp", "error-400-missing-messages");

        Assert.Equal(["Server", "Access-Control-Allow-Origin", "Content-Type", "Content-Length"], response.Headers.Select(h => h.Key));
        Assert.Throws<ArgumentException>(() => response.WithHeader("Transfer-Encoding", "chunked"));
    }
}
