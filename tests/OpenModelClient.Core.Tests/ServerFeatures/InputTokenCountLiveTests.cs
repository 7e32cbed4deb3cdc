using System.Text.Json;
using Microsoft.Extensions.AI;

namespace OpenModelClient.Tests.ServerFeatures;

/// <summary>Exact input-token counts against the real llama.cpp server.</summary>
public sealed class InputTokenCountLiveTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly AIFunctionDeclaration GetWeather = AIFunctionFactory.CreateDeclaration(
        "get_weather", "Get the current weather for a city", JsonElement.Parse("""{"type":"object","properties":{"city":{"type":"string","enum":["Paris","Tokyo"]}},"required":["city"]}"""));

    [Fact]
    public async Task Counts_equal_the_servers_own_prompt_tokens_for_the_same_request_with_tools()
    {
        await using var server = await LiveLlamaServer.StartChatAsync();
        using var client = new LlamaCppChatClient(server.Endpoint);
        var counter = client.GetService<IInputTokenCounter>()!;
        ChatMessage[] conversation = [new(ChatRole.System, "Answer briefly."), new(ChatRole.User, "What is the weather in Paris and in Tokyo?"), new(ChatRole.Assistant, "Let me check."), new(ChatRole.User, "Go on.")];

        foreach (var options in new ChatOptions?[] { null, new() { Tools = [GetWeather], MaxOutputTokens = 2, Seed = 3 } })
        {
            var count = await counter.CountInputTokensAsync(conversation, options, Ct);
            var response = await client.GetResponseAsync(conversation, WithShortAnswer(options), Ct);

            Assert.True(count.IsAvailable, count.ToString());
            Assert.Equal(response.Usage!.InputTokenCount, count.InputTokens);
        }

        var capabilities = await client.GetService<ModelCapabilitiesProvider>()!.GetCapabilitiesAsync(Ct);
        Assert.True(capabilities.SupportsInputTokenCount);
        Assert.True(capabilities.SupportsResumableStreams);
    }

    [Fact]
    public async Task The_guard_refuses_a_prompt_that_cannot_fit_before_sending_it()
    {
        await using var server = await LiveLlamaServer.StartAsync(["-m", LiveLlamaServer.TinyModel, "-c", "256", "-np", "1", "--jinja", "--chat-template-file", LiveLlamaServer.Template("Qwen-Qwen2.5-7B-Instruct.jinja")]);
        using var client = new CapabilityGuardChatClient(new LlamaCppChatClient(server.Endpoint)) { CheckContextLength = true };
        string longPrompt = string.Concat(Enumerable.Repeat("hello ", 300));

        var e = await Assert.ThrowsAsync<ContextLengthExceededException>(() => client.GetResponseAsync(longPrompt, new ChatOptions { MaxOutputTokens = 2 }, Ct));

        Assert.Null(e.StatusCode); // refused by the guard, not by the server
        Assert.Equal(256, e.ContextLength);
        Assert.True(e.PromptTokenCount > 256);

        // The same prompt sent without the check: the server's own refusal carries the same numbers.
        using var unguarded = new LlamaCppChatClient(server.Endpoint);
        var fromServer = await Assert.ThrowsAsync<ContextLengthExceededException>(() => unguarded.GetResponseAsync(longPrompt, new ChatOptions { MaxOutputTokens = 2 }, Ct));
        Assert.Equal(fromServer.PromptTokenCount, e.PromptTokenCount);
        Assert.Equal(fromServer.ContextLength, e.ContextLength);

        var fits = await client.GetResponseAsync("hi", new ChatOptions { MaxOutputTokens = 2, Seed = 3 }, Ct);
        Assert.NotNull(fits.Usage);
    }

    private static ChatOptions WithShortAnswer(ChatOptions? options)
    {
        var copy = options?.Clone() ?? new ChatOptions();
        copy.MaxOutputTokens ??= 2;
        copy.Seed ??= 3;
        return copy;
    }
}
