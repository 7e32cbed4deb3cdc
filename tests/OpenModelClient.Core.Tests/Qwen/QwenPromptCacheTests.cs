using Microsoft.Extensions.AI;
using OpenModelClient.Tests.Infrastructure;
using static OpenModelClient.Tests.TestDoubles.Hosted;

namespace OpenModelClient.Tests.Qwen;

/// <summary>Model Studio's explicit prompt cache: breakpoints written on content parts, validated before sending, and the cache figures read back.</summary>
public class QwenPromptCacheTests
{
    private const string Usage = """{"prompt_tokens":2048,"completion_tokens":1,"total_tokens":2049,"prompt_tokens_details":{"cached_tokens":1536,"cache_creation_input_tokens":512}}""";

    private static QwenChatClient Client(ReplayServer server) =>
        new(new Uri(server.BaseAddress, "compatible-mode/v1"), "qwen3.6-plus", options: new() { ApiKey = "sk-test" });

    private static string LongText => string.Concat(Enumerable.Repeat("Stable context. ", 300));

    [Fact]
    public async Task Breakpoints_on_a_message_or_a_text_go_on_the_content_part_and_plain_messages_stay_strings()
    {
        await using var server = await ReplayServer.StartAsync(Answer());
        using var client = Client(server);
        ChatMessage[] messages =
        [
            new ChatMessage(ChatRole.System, LongText).WithCacheBreakpoint(),
            new(ChatRole.User, [new TextContent("Document: " + LongText).WithCacheBreakpoint(), new TextContent("Question?")]),
            new(ChatRole.User, "Plain"),
        ];

        await client.GetResponseAsync(messages, cancellationToken: Ct);

        var sent = Assert.Single(server.Requests).BodyJson!["messages"]!.AsArray();
        var system = Assert.Single(sent[0]!["content"]!.AsArray())!;
        Assert.Equal(LongText, (string?)system["text"]);
        JsonAssert.Equal("""{"type":"ephemeral"}""", system["cache_control"]!);
        Assert.Equal("ephemeral", (string?)sent[1]!["content"]![0]!["cache_control"]!["type"]);
        Assert.Null(sent[1]!["content"]![1]!["cache_control"]);
        Assert.Equal("Plain", (string?)sent[2]!["content"]);
    }

    [Fact]
    public async Task More_than_four_breakpoints_fail_before_anything_is_sent()
    {
        await using var server = await ReplayServer.StartAsync(Answer());
        using var client = Client(server);
        var messages = Enumerable.Range(0, 5).Select(i => new ChatMessage(ChatRole.User, $"part {i}").WithCacheBreakpoint()).ToList();

        var e = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync(messages, cancellationToken: Ct));

        Assert.Contains("at most 4", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task Servers_without_explicit_breakpoints_never_receive_them()
    {
        await using var server = await ReplayServer.StartAsync(Answer());
        using var vllm = new OpenAICompatibleChatClient(new Uri(server.BaseAddress, "v1"), "m", options: new() { Preset = OpenAICompatiblePreset.Vllm });

        await vllm.GetResponseAsync([new ChatMessage(ChatRole.User, "hi").WithCacheBreakpoint()], cancellationToken: Ct);

        Assert.Equal("hi", (string?)Assert.Single(server.Requests).BodyJson!["messages"]![0]!["content"]);
    }

    [Fact]
    public async Task Cache_creation_and_cache_hits_are_reported_in_usage_streamed_and_not()
    {
        string body = $$"""{"id":"chatcmpl-c","object":"chat.completion","created":1795000000,"model":"qwen3.6-plus","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{{Usage}}}""";
        string stream = "data: {\"id\":\"chatcmpl-c\",\"object\":\"chat.completion.chunk\",\"created\":1795000000,\"model\":\"qwen3.6-plus\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}\n\n"
            + $"data: {{\"id\":\"chatcmpl-c\",\"object\":\"chat.completion.chunk\",\"created\":1795000000,\"model\":\"qwen3.6-plus\",\"choices\":[],\"usage\":{Usage}}}\n\ndata: [DONE]\n\n";
        await using var server = await ReplayServer.StartAsync(ReplayResponse.Json(200, body), ReplayResponse.Sse(stream));
        using var client = Client(server);

        var response = await client.GetResponseAsync("hi", cancellationToken: Ct);
        var streamed = (await CollectAsync(client.GetStreamingResponseAsync("hi", cancellationToken: Ct))).ToChatResponse();

        foreach (var usage in new[] { response.Usage!, streamed.Usage! })
        {
            Assert.Equal(1536, usage.CachedInputTokenCount);
            Assert.Equal(512, usage.AdditionalCounts![UsageCountKeys.CacheCreationInputTokens]);
        }
    }
}
