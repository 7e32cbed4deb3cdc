using OpenModelClient.Tests.Infrastructure;
using static OpenModelClient.Tests.LlamaCpp.LlamaCppReplay;

namespace OpenModelClient.Tests.LlamaCpp;

/// <summary>One test per recorded scenario of llama.cpp's native endpoints: raw-prompt <c>/completion</c> and <c>/embedding</c>.</summary>
public class LlamaCppNativeEndpointFixtureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task completion_native_n_probs()
    {
        await using var server = await ServeAsync("completion-native-n-probs");
        using var client = Client(server);

        var completion = await client.Server.CompleteAsync("Once upon a time", new LlamaCppCompletionOptions { MaxTokens = 3, Seed = 42, ProbabilityCount = 2 }, Ct);

        AssertSentFixtureRequest(server, "completion-native-n-probs");
        Assert.Equal("za(@\" newspaper", completion.Content);
        Assert.True(completion.IsFinal);
        Assert.Equal("limit", completion.StopType);
        Assert.Equal(TinyQwen, completion.Model);
        AssertUsage(completion.Usage, 5, 3, 8, completion.Usage!.CachedInputTokenCount);
        Assert.True(completion.Usage.AdditionalCounts!.ContainsKey(UsageCountKeys.EvalDurationNs));
        var probabilities = completion.Raw.GetProperty("completion_probabilities");
        Assert.Equal(3, probabilities.GetArrayLength());
        Assert.Equal(2, probabilities[0].GetProperty("top_logprobs").GetArrayLength());
    }

    [Fact]
    public async Task completion_native_stream()
    {
        await using var server = await ServeAsync("completion-native-stream");
        using var client = Client(server);

        var pieces = new List<LlamaCppCompletion>();
        await foreach (var piece in client.Server.CompleteStreamingAsync("Once upon a time", new LlamaCppCompletionOptions { MaxTokens = 4, Seed = 42 }, Ct))
        {
            pieces.Add(piece);
        }

        AssertSentFixtureRequest(server, "completion-native-stream");
        Assert.Equal("za(@\" newspaper Ple", string.Concat(pieces.Select(p => p.Content)));
        Assert.Equal([1362, 14699, 19656, 19777], pieces.SelectMany(p => p.Tokens));
        var last = pieces[^1];
        Assert.True(last.IsFinal);
        Assert.All(pieces[..^1], p => Assert.False(p.IsFinal));
        Assert.Equal(4, last.Usage!.OutputTokenCount);
        Assert.Equal(5, last.Usage.InputTokenCount);
    }

    [Fact]
    public async Task completion_native_stream_cut_before_its_final_piece_throws_truncated()
    {
        var body = System.Text.Encoding.UTF8.GetString(HttpTranscript.Load(Provider, "completion-native-stream").Body);
        var firstTwo = string.Join("\n\n", body.Split("\n\n").Take(2)) + "\n\n";
        await using var server = await ReplayServer.StartAsync(ReplayResponse.Sse(firstTwo));
        using var client = Client(server);
        var text = string.Empty;

        var e = await Assert.ThrowsAsync<OpenModelProtocolException>(async () =>
        {
            await foreach (var piece in client.Server.CompleteStreamingAsync("Once upon a time", cancellationToken: Ct))
            {
                text += piece.Content;
            }
        });

        Assert.True(e.IsTruncated);
        Assert.Equal("za(@\"", text);
    }

    [Fact]
    public async Task embeddings_native_endpoint()
    {
        await using var server = await ServeAsync("embeddings-native-endpoint");
        using var generator = new LlamaCppEmbeddingGenerator(server.BaseAddress);

        var vectors = await generator.Server.EmbedTokensAsync("hello world", Ct);

        AssertSentFixtureRequest(server, "embeddings-native-endpoint");
        var vector = Assert.Single(vectors);
        Assert.Equal(8, vector.Length);
        Assert.Equal(0.5214194655418396f, vector[0]);
        Assert.Equal(-0.20620694756507874f, vector[7]);
    }
}
