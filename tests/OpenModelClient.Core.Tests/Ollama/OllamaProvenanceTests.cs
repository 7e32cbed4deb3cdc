using Microsoft.Extensions.AI;
using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Tests.Ollama;

/// <summary>Ollama takes part in the one reasoning policy: its reasoning is tagged, and another provider's is never replayed into it.</summary>
public sealed class OllamaProvenanceTests
{
    [Fact]
    public async Task Reasoning_it_produces_is_tagged_as_ollamas()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.FromFixture("ollama", "chat-stream-thinking"));
        using var client = new OllamaChatClient(server.BaseAddress, "qwen3");

        var response = await client.GetStreamingResponseAsync("2+2?", cancellationToken: TestContext.Current.CancellationToken).ToChatResponseAsync(TestContext.Current.CancellationToken);

        var reasoning = response.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>().ToList();
        Assert.NotEmpty(reasoning);
        Assert.All(reasoning, r => Assert.Equal(ProviderNames.Ollama, ReasoningProvenance.GetProvider(r)));
    }

    [Fact]
    public void Another_providers_reasoning_is_dropped_from_history_and_its_own_is_kept()
    {
        var foreign = new TextReasoningContent("deepseek thought") { AdditionalProperties = new() { [ReasoningProvenance.ProviderKey] = ProviderNames.DeepSeek } };
        var own = new TextReasoningContent("ollama thought") { AdditionalProperties = new() { [ReasoningProvenance.ProviderKey] = ProviderNames.Ollama } };
        ChatMessage[] history =
        [
            new(ChatRole.User, "hi"),
            new(ChatRole.Assistant, [foreign, new TextContent("one")]),
            new(ChatRole.Assistant, [own, new TextContent("two")]),
        ];

        var messages = OllamaRequestBuilder.MapMessages(history, null);

        Assert.Null(messages[1]!["thinking"]);
        Assert.Equal("ollama thought", messages[2]!["thinking"]!.GetValue<string>());
    }
}
