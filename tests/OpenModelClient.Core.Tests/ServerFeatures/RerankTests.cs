using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Tests.ServerFeatures;

/// <summary>Rerank over transcripts recorded from the real llama.cpp server, and the documented shapes of vLLM and Model Studio.</summary>
public sealed class RerankTests
{
    private const string Provider = "llama.cpp-2026";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] Documents = ["hi", "The giant panda is a bear native to China.", "Paris is in France."];

    [Fact]
    public async Task LlamaCpp_returns_the_top_n_scored_indices_best_first_with_usage()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.FromFixture(Provider, "rerank-top-n"));
        using var reranker = new LlamaCppReranker(server.BaseAddress);

        var result = await reranker.RerankAsync("What is a panda?", Documents, new RerankOptions { TopN = 2 }, Ct);

        Assert.Equal([1, 2], result.Results.Select(r => r.Index));
        Assert.Equal(1.6300601959228516, result.Results[0].Score);
        Assert.Equal(39, result.Usage!.InputTokenCount);
        Assert.Equal("models/tiny-chatml.gguf", result.ModelId);
        var request = Assert.Single(server.Requests);
        Assert.Equal("/v1/rerank", request.PathAndQuery);
        Assert.Equal("""{"query":"What is a panda?","documents":["hi","The giant panda is a bear native to China.","Paris is in France."],"top_n":2}""", request.BodyText);
    }

    [Fact]
    public async Task A_server_without_a_reranker_is_a_typed_not_supported_error_saying_how_to_start_one()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.FromFixture(Provider, "rerank-error-501-no-reranker"));
        using var reranker = new LlamaCppReranker(server.BaseAddress);

        var e = await Assert.ThrowsAsync<OpenModelException>(() => reranker.RerankAsync("What is a panda?", ["hi"], cancellationToken: Ct));

        Assert.Equal(OpenModelErrorKind.NotSupported, e.Kind);
        Assert.Equal(System.Net.HttpStatusCode.NotImplemented, e.StatusCode);
        Assert.Contains("--reranking", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_documents_is_refused_before_sending()
    {
        using var reranker = new LlamaCppReranker(new Uri("http://127.0.0.1:9/"));

        await Assert.ThrowsAsync<ArgumentException>(() => reranker.RerankAsync("q", [], cancellationToken: Ct));
    }

    [Fact]
    public async Task A_result_pointing_outside_the_documents_is_a_protocol_error()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.Json(200, """{"results":[{"index":3,"relevance_score":0.5}]}"""));
        using var reranker = new LlamaCppReranker(server.BaseAddress);

        await Assert.ThrowsAsync<OpenModelProtocolException>(() => reranker.RerankAsync("q", ["a", "b"], cancellationToken: Ct));
    }

    [Fact]
    public async Task Vllm_and_Qwen_use_their_documented_endpoints_and_shapes()
    {
        // Documented answers (vLLM's /rerank, Model Studio's compatible-api /reranks share the Jina/Cohere shape); no server was available to record.
        await using var server = await ReplayServer.StartAsync(
            ReplayResponse.Json(200, """{"id":"rerank-1","model":"BAAI/bge-reranker-v2-m3","usage":{"total_tokens":21},"results":[{"index":1,"document":{"text":"b"},"relevance_score":0.9},{"index":0,"document":{"text":"a"},"relevance_score":0.1}]}"""),
            ReplayResponse.Json(200, """{"object":"list","results":[{"index":0,"relevance_score":0.7}],"model":"qwen3-rerank","usage":{"total_tokens":12},"id":"x"}"""));
        using var vllm = new OpenAICompatibleReranker(new Uri(server.BaseAddress, "v1"), "BAAI/bge-reranker-v2-m3", options: new OpenAICompatibleClientOptions { Preset = OpenAICompatiblePreset.Vllm });
        using var qwen = new QwenReranker(new Uri(server.BaseAddress, "compatible-mode/v1"), apiKey: "sk-test");

        var fromVllm = await vllm.RerankAsync("q", ["a", "b"], cancellationToken: Ct);
        var fromQwen = await qwen.RerankAsync("q", ["a", "b"], new RerankOptions { TopN = 1, AdditionalProperties = new() { ["instruct"] = "Find the answer." } }, Ct);

        Assert.Equal([1, 0], fromVllm.Results.Select(r => r.Index));
        Assert.Equal(21, fromVllm.Usage!.InputTokenCount);
        Assert.Equal("/v1/rerank", server.Requests[0].PathAndQuery);
        Assert.Equal(0, Assert.Single(fromQwen.Results).Index);
        Assert.Equal("/compatible-api/v1/reranks", server.Requests[1].PathAndQuery);
        Assert.Equal("""{"model":"qwen3-rerank","query":"q","documents":["a","b"],"top_n":1,"instruct":"Find the answer."}""", server.Requests[1].BodyText);
        Assert.Equal("Bearer sk-test", server.Requests[1].Headers["Authorization"]);
    }
}
