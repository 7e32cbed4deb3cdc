using System.Net;
using Microsoft.Extensions.AI;
using OpenModelClient.Tests.Infrastructure;
using static OpenModelClient.Tests.LlamaCpp.LlamaCppReplay;

namespace OpenModelClient.Tests.LlamaCpp;

public class LlamaCppEmbeddingFixtureTests
{
    private static readonly float[] HelloWorld = [0.5214194655418396f, -0.4181092381477356f, 0.32265496253967285f, -0.2217431515455246f, -0.08530442416667938f, 0.2038077414035797f, -0.5556027293205261f, -0.20620694756507874f];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task embeddings_single_string()
    {
        await using var server = await ServeAsync("embeddings-single-string");
        using var generator = new LlamaCppEmbeddingGenerator(server.BaseAddress, "tiny");
        var result = await generator.GenerateAsync(["hello world"], cancellationToken: Ct);
        JsonAssert.Equal("""{"model":"tiny","input":"hello world","encoding_format":"float"}""", server.Requests[0].BodyJson);
        Assert.Equal("/v1/embeddings", server.Requests[0].PathAndQuery);
        var embedding = Assert.Single(result);
        Assert.Equal(HelloWorld, embedding.Vector.ToArray());
        Assert.Equal("tiny", embedding.ModelId);
        Assert.Equal(3, result.Usage!.InputTokenCount);
        Assert.Equal(3, result.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task embeddings_base64()
    {
        // A server (or proxy) that answers base64 even though float was asked still decodes to the same vector.
        await using var server = await ServeAsync("embeddings-base64");
        using var generator = new LlamaCppEmbeddingGenerator(server.BaseAddress, "tiny");
        var result = await generator.GenerateAsync(["hello world"], cancellationToken: Ct);
        Assert.Equal(HelloWorld, Assert.Single(result).Vector.ToArray());
    }

    [Fact]
    public async Task embeddings_empty_string()
    {
        await using var server = await ServeAsync("embeddings-empty-string");
        using var generator = new LlamaCppEmbeddingGenerator(server.BaseAddress);
        var result = await generator.GenerateAsync([string.Empty], cancellationToken: Ct);
        JsonAssert.Equal("""{"input":"","encoding_format":"float"}""", server.Requests[0].BodyJson);
        Assert.Equal(8, Assert.Single(result).Vector.Length);
        Assert.Equal(0.581560492515564f, result[0].Vector.Span[0]);
        Assert.Equal(1, result.Usage!.InputTokenCount);
    }

    [Fact]
    public async Task embeddings_token_ids_input()
    {
        // Token-id input is a llama.cpp extension outside IEmbeddingGenerator<string>; its response maps like any other.
        await using var server = await ServeAsync("embeddings-token-ids-input");
        using var generator = new LlamaCppEmbeddingGenerator(server.BaseAddress);
        var result = await generator.GenerateAsync(["Hello world"], cancellationToken: Ct);
        Assert.Equal(-0.3601738512516022f, Assert.Single(result).Vector.Span[0]);
        Assert.Equal("/opt/gguf/models/llama-2-tiny-random.gguf", result[0].ModelId);
        Assert.Equal(2, result.Usage!.InputTokenCount);
    }

    [Fact]
    public async Task embeddings_error_400_missing_input()
    {
        await using var server = await ServeAsync("embeddings-error-400-missing-input");
        using var generator = new LlamaCppEmbeddingGenerator(server.BaseAddress, "tiny");
        var e = await Assert.ThrowsAsync<InvalidRequestException>(() => generator.GenerateAsync(["x"], cancellationToken: Ct));
        Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Equal("\"input\" or \"content\" must be provided", e.ProviderMessage);
    }

    [Fact]
    public async Task A_batch_keeps_the_order_of_the_inputs_whatever_order_data_arrives_in()
    {
        const string body = """{"object":"list","model":"m","data":[{"index":1,"embedding":[2.0]},{"index":0,"embedding":[1.0]}],"usage":{"prompt_tokens":4,"total_tokens":4}}""";
        await using var server = await ReplayServer.StartAsync(ReplayResponse.Json(200, body));
        using var generator = new LlamaCppEmbeddingGenerator(server.BaseAddress);
        var result = await generator.GenerateAsync(["a", "b"], new EmbeddingGenerationOptions { Dimensions = 1 }, Ct);
        JsonAssert.Equal("""{"input":["a","b"],"encoding_format":"float","dimensions":1}""", server.Requests[0].BodyJson);
        Assert.Equal([1f, 2f], result.Select(e => e.Vector.Span[0]));
    }
}
