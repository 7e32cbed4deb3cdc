using Microsoft.Extensions.AI;

namespace OpenModelClient.Tests.Middleware.Guards;

/// <summary>The real llama-server with a thinking template and a small <c>max_tokens</c>: it returns reasoning only, with <c>finish_reason: length</c>.</summary>
public class AnswerRoomLiveTests
{
    private const string ThinkingServer = "-c 1024 -np 1 --jinja --chat-template-file \"{root}/templates/Qwen3.5-4B.jinja\" --reasoning-format deepseek";

    private static readonly ChatMessage[] Question = [new(ChatRole.User, "What is 2+2?")];

    private static ChatOptions Options => new() { MaxOutputTokens = 8, Seed = 1, Temperature = 0 };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RealServer_ReasoningOnlyAtTheLimit_GuardOnRaises_GuardOffReturnsAnEmptyAnswer(bool stream)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await LiveLlamaServer.TryStartAsync(ThinkingServer, ct);
        Assert.SkipWhen(server is null, "llama-server is not beside the repository (../shared/llama-server).");

        using var plain = new LlamaCppChatClient(server.BaseAddress);
        var response = stream ? await plain.GetStreamingResponseAsync(Question, Options, ct).ToChatResponseAsync(ct) : await plain.GetResponseAsync(Question, Options, ct);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.True(string.IsNullOrWhiteSpace(response.Text));
        string reasoning = string.Concat(response.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>().Select(r => r.Text));
        Assert.NotEmpty(reasoning);

        using var guarded = new AnswerRoomChatClient(new LlamaCppChatClient(server.BaseAddress));
        var e = await Assert.ThrowsAsync<ReasoningExhaustedException>(() => stream
            ? guarded.GetStreamingResponseAsync(Question, Options, ct).ToChatResponseAsync(ct)
            : guarded.GetResponseAsync(Question, Options, ct));
        Assert.Equal(reasoning, e.Reasoning); // seeded: the same reasoning both times
        Assert.Equal(8, e.OutputTokens);
    }
}
