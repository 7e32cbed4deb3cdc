namespace OpenModelClient.Tests.ServerFeatures;

/// <summary>Rerank against the real llama.cpp server (the tiny model's scores are noise; the call and its shape are real).</summary>
public sealed class RerankLiveTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_reranking_server_scores_the_documents_and_a_chat_server_refuses_with_a_typed_error()
    {
        await using var ranking = await LiveLlamaServer.StartAsync(["-m", LiveLlamaServer.TinyModel, "--embeddings", "--pooling", "rank"]);
        using var reranker = new LlamaCppReranker(ranking.Endpoint);

        var all = await reranker.RerankAsync("What is a panda?", ["hi", "The giant panda is a bear.", "Paris is in France."], cancellationToken: Ct);
        var top = await reranker.RerankAsync("What is a panda?", ["hi", "The giant panda is a bear.", "Paris is in France."], new RerankOptions { TopN = 1 }, Ct);

        Assert.Equal([0, 1, 2], all.Results.Select(r => r.Index).Order());
        Assert.True(all.Results.Zip(all.Results.Skip(1)).All(p => p.First.Score >= p.Second.Score));
        Assert.Equal(all.Results[0].Score, Assert.Single(top.Results).Score); // the random model ties scores, so only the best score is fixed
        Assert.True(all.Usage!.InputTokenCount > 0);

        await using var chat = await LiveLlamaServer.StartChatAsync();
        using var wrong = new LlamaCppReranker(chat.Endpoint);
        var e = await Assert.ThrowsAsync<OpenModelException>(() => wrong.RerankAsync("q", ["a"], cancellationToken: Ct));
        Assert.Equal(OpenModelErrorKind.NotSupported, e.Kind);
    }
}
