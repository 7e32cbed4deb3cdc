using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using OpenModelClient.Tests.Infrastructure;
using static OpenModelClient.Tests.Ollama.OllamaTestSupport;

namespace OpenModelClient.Tests.Ollama;

public sealed class OllamaEmbeddingGeneratorTests
{
    [Fact]
    public async Task GenerateAsync_Batch_SendsEveryKnobAndReturnsVectorsInOrderWithUsage()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("embed-batch"));
        using var generator = new OllamaEmbeddingGenerator(server.BaseAddress, "nomic-embed-text", options: new OllamaEmbeddingGeneratorOptions
        {
            KeepAlive = TimeSpan.FromMinutes(5),
            Truncate = false,
            ModelOptions = new OllamaModelOptions { NumCtx = 2048 },
        });

        var result = await generator.GenerateAsync(["first", "second"], new EmbeddingGenerationOptions { Dimensions = 3 }, Ct);

        var request = Assert.Single(server.Requests);
        Assert.Equal("/api/embed", request.PathAndQuery);
        JsonAssert.Equal(
            """{"model":"nomic-embed-text","input":["first","second"],"dimensions":3,"keep_alive":"5m","truncate":false,"options":{"num_ctx":2048}}""",
            request.BodyJson);
        Assert.Equal(2, result.Count);
        Assert.Equal([0.010071029f, -0.0017594862f, 0.05007221f], result[0].Vector.ToArray());
        Assert.Equal([-0.0098027075f, 0.06042469f, 0.025257962f], result[1].Vector.ToArray());
        Assert.All(result, e => Assert.Equal("nomic-embed-text", e.ModelId));
        Assert.Equal(8, result.Usage!.InputTokenCount);
        Assert.Equal(8, result.Usage.TotalTokenCount);
        Assert.Equal(14143917, result.Usage.AdditionalCounts![UsageCountKeys.TotalDurationNs]);
        Assert.Equal(1019500, result.Usage.AdditionalCounts[UsageCountKeys.LoadDurationNs]);
    }

    [Fact]
    public async Task GenerateAsync_OneString_SendsAStringInput_AndPerRequestSettingsWin()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("embed-single"));
        using var generator = new OllamaEmbeddingGenerator(server.BaseAddress, "nomic-embed-text", options: new OllamaEmbeddingGeneratorOptions { KeepAlive = TimeSpan.FromMinutes(5) });
        var options = new EmbeddingGenerationOptions
        {
            ModelId = "all-minilm",
            RawRepresentationFactory = _ => new OllamaRequestSettings { KeepAlive = TimeSpan.Zero, Truncate = true },
        };

        var embedding = await generator.GenerateAsync(["only"], options, Ct);

        JsonAssert.Equal("""{"model":"all-minilm","input":"only","keep_alive":"0s","truncate":true}""", server.Requests[0].BodyJson);
        Assert.Equal([0.010071029f, -0.0017594862f], Assert.Single(embedding).Vector.ToArray());
    }

    [Fact]
    public async Task GenerateAsync_AdditionalProperties_ArePassedThrough()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("embed-single"));
        using var generator = new OllamaEmbeddingGenerator(server.BaseAddress, "nomic-embed-text");
        var options = new EmbeddingGenerationOptions { AdditionalProperties = new() { ["options"] = new JsonObject { ["num_thread"] = 2 }, ["keep_alive"] = "30m" } };

        await generator.GenerateAsync(["only"], options, Ct);

        JsonAssert.Equal("""{"model":"nomic-embed-text","input":"only","options":{"num_thread":2},"keep_alive":"30m"}""", server.Requests[0].BodyJson);
    }

    [Fact]
    public async Task GenerateAsync_NoInputs_SendsNothing()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("embed-single"));
        using var generator = new OllamaEmbeddingGenerator(server.BaseAddress, "nomic-embed-text");

        var result = await generator.GenerateAsync([], cancellationToken: Ct);

        Assert.Empty(result);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task GenerateAsync_FewerVectorsThanInputs_ThrowsProtocolError()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("embed-single"));
        using var generator = new OllamaEmbeddingGenerator(server.BaseAddress, "nomic-embed-text");

        var e = await Assert.ThrowsAsync<OpenModelProtocolException>(() => generator.GenerateAsync(["a", "b"], cancellationToken: Ct));

        Assert.Contains("1 embeddings for 2 inputs", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateAsync_ModelThatCannotEmbed_ThrowsNotSupported()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("error-501-embed-not-supported"));
        using var generator = new OllamaEmbeddingGenerator(server.BaseAddress, "qwen3");

        var e = await Assert.ThrowsAsync<OpenModelException>(() => generator.GenerateAsync(["a"], cancellationToken: Ct));

        Assert.Equal(OpenModelErrorKind.NotSupported, e.Kind);
        Assert.Contains("does not support embeddings", e.ProviderMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenerateAsync_MissingModel_ThrowsWithPullHint_OrPullsWhenAsked()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("error-404-model-not-found"), Fixture("error-404-model-not-found"), Fixture("pull-stream"), Fixture("embed-single"));
        using var plain = new OllamaEmbeddingGenerator(server.BaseAddress, "nomic-embed-text");
        var progress = new ListProgress<OllamaPullProgress>();
        using var pulling = new OllamaEmbeddingGenerator(server.BaseAddress, "nomic-embed-text", options: new OllamaEmbeddingGeneratorOptions { PullIfMissing = true, PullProgress = progress });

        var e = await Assert.ThrowsAsync<ModelNotFoundException>(() => plain.GenerateAsync(["a"], cancellationToken: Ct));
        var result = await pulling.GenerateAsync(["a"], cancellationToken: Ct);

        Assert.Contains("ollama pull nomic-embed-text", e.Message, StringComparison.Ordinal);
        Assert.Single(result);
        Assert.Equal(["/api/embed", "/api/embed", "/api/pull", "/api/embed"], server.Requests.Select(r => r.PathAndQuery));
        Assert.Equal("success", progress.Items[^1].Status);
    }

    [Fact]
    public async Task GetService_ReturnsMetadataAndServer()
    {
        await using var server = await ReplayServer.StartAsync();
        using var generator = new OllamaEmbeddingGenerator(server.BaseAddress, "nomic-embed-text");

        var metadata = Assert.IsType<EmbeddingGeneratorMetadata>(generator.GetService(typeof(EmbeddingGeneratorMetadata)));
        Assert.Equal("ollama", metadata.ProviderName);
        Assert.Equal("nomic-embed-text", metadata.DefaultModelId);
        Assert.Same(generator.Server, generator.GetService(typeof(OllamaServer)));
        Assert.Null(generator.GetService(typeof(EmbeddingGeneratorMetadata), "key"));
    }
}
