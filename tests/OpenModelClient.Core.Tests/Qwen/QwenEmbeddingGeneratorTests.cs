using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using OpenModelClient.Tests.Infrastructure;
using static OpenModelClient.Tests.TestDoubles.Hosted;

namespace OpenModelClient.Tests.Qwen;

/// <summary><c>text-embedding-v4</c> over the OpenAI-shaped <c>/embeddings</c>: dimensions, and the 10-input batch limit.</summary>
public class QwenEmbeddingGeneratorTests
{
    private const string EmbeddingsPath = "/compatible-mode/v1/embeddings";

    /// <summary>An OpenAI-shaped embeddings body whose vectors encode their global input number, listed in reverse index order.</summary>
    private static ReplayResponse Batch(int first, int count, int promptTokensEach = 3)
    {
        var data = new JsonArray();
        for (int i = count - 1; i >= 0; i--)
        {
            data.Add((JsonNode)new JsonObject
            {
                ["object"] = "embedding",
                ["index"] = i,
                ["embedding"] = new JsonArray((JsonNode)(first + i), (JsonNode)0.5),
            });
        }

        var body = new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["model"] = "text-embedding-v4",
            ["usage"] = new JsonObject { ["prompt_tokens"] = promptTokensEach * count, ["total_tokens"] = promptTokensEach * count },
            ["id"] = $"emb-{first}",
        };
        return ReplayResponse.Json(200, body.ToJsonString());
    }

    private static QwenEmbeddingGenerator Generator(ReplayServer server, QwenEmbeddingGeneratorOptions? options = null) =>
        new(server.BaseAddress, null, null, options ?? new QwenEmbeddingGeneratorOptions { ApiKey = "sk-test" });

    [Fact]
    public async Task More_than_ten_inputs_are_split_into_batches_and_joined_in_input_order_with_usage_summed()
    {
        await using var server = await ReplayServer.StartAsync(Batch(0, 10), Batch(10, 10), Batch(20, 3));
        using var generator = Generator(server);
        var inputs = Enumerable.Range(0, 23).Select(i => $"text {i}").ToList();

        var result = await generator.GenerateAsync(inputs, new EmbeddingGenerationOptions { Dimensions = 512 }, Ct);

        Assert.Equal(23, result.Count);
        for (int i = 0; i < 23; i++)
        {
            Assert.Equal(i, result[i].Vector.Span[0]);
        }

        Assert.Equal(69, result.Usage!.InputTokenCount);
        Assert.Equal(69, result.Usage.TotalTokenCount);
        Assert.Equal(3, server.Requests.Count);
        int sent = 0;
        foreach (var (request, size) in server.Requests.Zip([10, 10, 3]))
        {
            Assert.Equal(EmbeddingsPath, request.PathAndQuery);
            Assert.Equal("Bearer sk-test", request.Headers["Authorization"]);
            var body = request.BodyJson!;
            Assert.Equal("text-embedding-v4", body["model"]!.GetValue<string>());
            Assert.Equal(512, body["dimensions"]!.GetValue<int>());
            var input = body["input"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
            Assert.Equal(inputs.Skip(sent).Take(size), input);
            sent += size;
        }
    }

    [Fact]
    public async Task Ten_inputs_or_fewer_go_in_one_request_with_the_configured_default_dimensions()
    {
        await using var server = await ReplayServer.StartAsync(Batch(0, 10));
        using var generator = Generator(server, new QwenEmbeddingGeneratorOptions { Dimensions = 256 });

        var result = await generator.GenerateAsync([.. Enumerable.Range(0, 10).Select(i => i.ToString(CultureInfo.InvariantCulture))], cancellationToken: Ct);

        Assert.Equal(10, result.Count);
        Assert.Equal(9, result[9].Vector.Span[0]);
        Assert.Equal(256, Assert.Single(server.Requests).BodyJson!["dimensions"]!.GetValue<int>());
        Assert.Equal(256, generator.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelDimensions);
    }

    [Fact]
    public async Task A_batch_size_option_splits_smaller_and_a_short_batch_reply_is_a_protocol_error()
    {
        await using var server = await ReplayServer.StartAsync(Batch(0, 2), Batch(2, 1));
        using var generator = Generator(server, new QwenEmbeddingGeneratorOptions { MaxBatchSize = 2 });

        var e = await Assert.ThrowsAsync<OpenModelProtocolException>(() => generator.GenerateAsync(["a", "b", "c", "d"], cancellationToken: Ct));

        Assert.Contains("expected 2", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public void Defaults_to_text_embedding_v4_and_rejects_a_batch_size_below_one()
    {
        using var generator = new QwenEmbeddingGenerator(QwenRegion.Singapore);
        var metadata = generator.GetService<EmbeddingGeneratorMetadata>()!;
        Assert.Equal("text-embedding-v4", metadata.DefaultModelId);
        Assert.Equal("qwen", metadata.ProviderName);
        Assert.Equal(new Uri("https://dashscope-intl.aliyuncs.com/compatible-mode/v1/"), metadata.ProviderUri);
        Assert.Throws<ArgumentOutOfRangeException>(() => new QwenEmbeddingGenerator(QwenRegion.Singapore, options: new QwenEmbeddingGeneratorOptions { MaxBatchSize = 0 }));
    }
}
