using Microsoft.Extensions.AI;
using OpenModelClient.Tests.Infrastructure;
using static OpenModelClient.Tests.Middleware.Guards.ReasoningExhaustionTranscripts;

namespace OpenModelClient.Tests.Middleware.Guards;

public class AnswerRoomChatClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly ChatMessage[] Question = [new(ChatRole.User, "What is 2+2?")];

    public static TheoryData<string, bool> ProvidersAndModes()
    {
        var data = new TheoryData<string, bool>();
        foreach (var provider in Providers)
        {
            data.Add(provider, false);
            data.Add(provider, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ProvidersAndModes))]
    public async Task ReasoningOnlyReplyAtTheLimit_GuardOn_RaisesReasoningExhaustedWithTheReasoning(string provider, bool stream)
    {
        await using var server = await ReplayServer.StartAsync(Exhausted(provider, stream));
        using var client = new AnswerRoomChatClient(Client(provider, server));
        var options = new ChatOptions { MaxOutputTokens = 10 };

        var e = await Assert.ThrowsAsync<ReasoningExhaustedException>(() => stream
            ? client.GetStreamingResponseAsync(Question, options, Ct).ToChatResponseAsync(Ct)
            : client.GetResponseAsync(Question, options, Ct));

        Assert.Equal(ExpectedReasoning(provider, stream), e.Reasoning);
        Assert.Equal(OpenModelErrorKind.OutputLimitReached, e.Kind);
        Assert.Equal(10, e.MaxOutputTokens);
        Assert.Equal(10, e.OutputTokens);
        Assert.Equal(provider, e.Provider);
        Assert.Contains("no answer", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ProvidersAndModes))]
    public async Task ReasoningOnlyReplyAtTheLimit_GuardOff_ComesBackAsAnEmptySuccess(string provider, bool stream)
    {
        await using var server = await ReplayServer.StartAsync(Exhausted(provider, stream));
        using var client = Client(provider, server);
        var options = new ChatOptions { MaxOutputTokens = 10 };

        var response = stream ? await client.GetStreamingResponseAsync(Question, options, Ct).ToChatResponseAsync(Ct) : await client.GetResponseAsync(Question, options, Ct);

        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.True(string.IsNullOrWhiteSpace(response.Text));
        Assert.Equal(ExpectedReasoning(provider, stream), string.Concat(response.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>().Select(r => r.Text)));
    }

    [Theory]
    [MemberData(nameof(ProvidersAndModes))]
    public async Task ReasoningOnlyReplyAtTheLimit_RetryOptIn_AsksAgainWithThinkingOff(string provider, bool stream)
    {
        await using var server = await ReplayServer.StartAsync(Exhausted(provider, stream), Answer(provider, stream));
        using var client = new AnswerRoomChatClient(Client(provider, server)) { RetryWithoutThinking = true };
        var options = new ChatOptions { MaxOutputTokens = 10, Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Medium } };

        ChatResponse response;
        if (stream)
        {
            var updates = new List<ChatResponseUpdate>();
            await foreach (var update in client.GetStreamingResponseAsync(Question, options, Ct))
            {
                updates.Add(update);
            }

            // The first attempt's reasoning comes first, then the second attempt's answer; only the second attempt's finish reason is left.
            int lastReasoning = updates.FindLastIndex(u => u.Contents.OfType<TextReasoningContent>().Any(r => r.Text.Length > 0));
            int firstAnswer = updates.FindIndex(u => u.Text.Length > 0);
            Assert.InRange(lastReasoning, 0, firstAnswer - 1);
            Assert.Equal([ChatFinishReason.Stop], updates.Where(u => u.FinishReason is not null).Select(u => u.FinishReason!.Value));
            response = updates.ToChatResponse();
        }
        else
        {
            response = await client.GetResponseAsync(Question, options, Ct);
        }

        Assert.Equal("4", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(ExpectedReasoning(provider, stream), string.Concat(response.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>().Select(r => r.Text)));
        Assert.Equal(12, response.Usage!.OutputTokenCount); // 10 spent thinking, then 2 for the answer
        Assert.Equal(1, response.Usage.AdditionalCounts![AnswerRoomChatClient.RetriesUsageKey]);

        Assert.Equal(2, server.Requests.Count);
        var retry = server.Requests[1].BodyJson!;
        Assert.Equal(ThinkingOff(provider), ThinkingSwitch(provider, retry));
    }

    [Theory]
    [InlineData("llama.cpp", "thinking_budget_tokens")]
    [InlineData("qwen", "thinking_budget")]
    [InlineData("vllm", "thinking_token_budget")]
    public async Task BudgetAndLimit_GuardOn_ClampsTheThinkingBudgetToLeaveTheAnswerShare(string provider, string field)
    {
        await using var server = await ReplayServer.StartAsync(Answer(provider, stream: false), Answer(provider, stream: false));
        var options = new ChatOptions { MaxOutputTokens = 2000, Reasoning = new ReasoningOptions { Effort = ReasoningEffort.High } };

        using (var guarded = new AnswerRoomChatClient(Client(provider, server)))
        {
            await guarded.GetResponseAsync(Question, options, Ct);
        }

        using (var plain = Client(provider, server))
        {
            await plain.GetResponseAsync(Question, options, Ct);
        }

        Assert.Equal(1500, (int)server.Requests[0].BodyJson![field]!); // 2000 - 25 %
        Assert.Equal(16384, (int)server.Requests[1].BodyJson![field]!); // High's budget, larger than the whole output
        Assert.Null(options.AdditionalProperties); // the caller's options are not changed
        Assert.DoesNotContain(server.Requests[0].BodyJson!.AsObject(), p => p.Key.StartsWith("openmodel", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BudgetWithinTheShare_IsLeftAlone_AndProvidersWithoutABudgetGetNone()
    {
        await using var server = await ReplayServer.StartAsync(Answer("llama.cpp", false), Answer("ollama", false));
        using (var llama = new AnswerRoomChatClient(Client("llama.cpp", server)) { AnswerShare = 0.5 })
        {
            await llama.GetResponseAsync(Question, new ChatOptions { MaxOutputTokens = 4000, Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Low } }, Ct);
        }

        using (var ollama = new AnswerRoomChatClient(Client("ollama", server)))
        {
            await ollama.GetResponseAsync(Question, new ChatOptions { MaxOutputTokens = 100, Reasoning = new ReasoningOptions { Effort = ReasoningEffort.High } }, Ct);
        }

        Assert.Equal(1024, (int)server.Requests[0].BodyJson!["thinking_budget_tokens"]!);
        Assert.DoesNotContain(server.Requests[1].BodyJson!.AsObject(), p => p.Key.Contains("budget", StringComparison.Ordinal) || p.Key.StartsWith("openmodel", StringComparison.Ordinal));
    }

    [Fact]
    public void AnswerShare_OutOfRange_Throws()
    {
        using var inner = new LlamaCppChatClient(new Uri("http://127.0.0.1:1"));
        using var client = new AnswerRoomChatClient(inner);
        Assert.Throws<ArgumentOutOfRangeException>(() => client.AnswerShare = 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => client.AnswerShare = 0);
    }

    private static string? ThinkingSwitch(string provider, System.Text.Json.Nodes.JsonNode body) => provider switch
    {
        "ollama" => body["think"]?.ToJsonString(),
        "deepseek" => body["thinking"]?["type"]?.ToJsonString(),
        "qwen" => body["enable_thinking"]?.ToJsonString(),
        _ => body["chat_template_kwargs"]?["enable_thinking"]?.ToJsonString(),
    };

    private static string ThinkingOff(string provider) => provider == "deepseek" ? "\"disabled\"" : "false";
}
