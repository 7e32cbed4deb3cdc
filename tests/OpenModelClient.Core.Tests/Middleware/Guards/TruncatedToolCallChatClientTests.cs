using Microsoft.Extensions.AI;
using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Tests.Middleware.Guards;

/// <summary>A tool call cut off by <c>max_tokens</c> in the middle of its arguments, as llama.cpp and vLLM send it (finish reason <c>length</c>).</summary>
public class TruncatedToolCallChatClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly ChatMessage[] Question = [new(ChatRole.User, "What is the weather in Paris?")];

    private static ChatOptions Options => new() { MaxOutputTokens = 12, Tools = [LlamaCpp.LlamaCppReplay.GetWeather] };

    private static ReplayResponse Truncated(bool stream) => stream
        ? ReplayResponse.Sse(
            """
            data: {"choices":[{"finish_reason":null,"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"oKBucKHOj56D","type":"function","function":{"name":"get_weather","arguments":"{\"city\":"}}]}}],"created":1795464165,"id":"chatcmpl-cut","model":"tiny","object":"chat.completion.chunk"}

            data: {"choices":[{"finish_reason":null,"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"Par"}}]}}],"created":1795464165,"id":"chatcmpl-cut","model":"tiny","object":"chat.completion.chunk"}

            data: {"choices":[{"finish_reason":"length","index":0,"delta":{}}],"created":1795464165,"id":"chatcmpl-cut","model":"tiny","object":"chat.completion.chunk","usage":{"completion_tokens":12,"prompt_tokens":232,"total_tokens":244}}

            data: [DONE]


            """)
        : ReplayResponse.Json(200, """{"choices":[{"finish_reason":"length","index":0,"message":{"role":"assistant","content":"","tool_calls":[{"type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Par"},"id":"oKBucKHOj56D"}]}}],"created":1795464165,"model":"tiny","object":"chat.completion","usage":{"completion_tokens":12,"prompt_tokens":232,"total_tokens":244},"id":"chatcmpl-cut"}""");

    private static ReplayResponse Complete() => ReplayResponse.FromFixture("llama.cpp", "chat-tools-call-length-nonstream");

    private static async Task<ChatResponse> AskAsync(IChatClient client, bool stream, ChatOptions options) => stream
        ? await client.GetStreamingResponseAsync(Question, options, Ct).ToChatResponseAsync(Ct)
        : await client.GetResponseAsync(Question, options, Ct);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CutOffCall_GuardOn_RaisesOutputLimitReachedWithWhatArrived(bool stream)
    {
        using var metrics = new GuardMetricsRecorder("llama.cpp");
        await using var server = await ReplayServer.StartAsync(Truncated(stream));
        using var client = new TruncatedToolCallChatClient(new LlamaCppChatClient(server.BaseAddress));

        var e = await Assert.ThrowsAsync<TruncatedToolCallException>(() => AskAsync(client, stream, Options));

        Assert.Equal(OpenModelErrorKind.OutputLimitReached, e.Kind);
        Assert.Equal("get_weather", e.ToolName);
        Assert.Equal("{\"city\":\"Par", e.PartialArguments);
        Assert.Equal(12, e.MaxOutputTokens);
        Assert.Contains((GuardMetricsNames.TruncatedToolCall, "rejected"), metrics.Actions);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CutOffCall_GuardOff_ComesBackAsACallWithoutArguments(bool stream)
    {
        await using var server = await ReplayServer.StartAsync(Truncated(stream));
        using var client = new LlamaCppChatClient(server.BaseAddress);

        var response = await AskAsync(client, stream, Options);

        var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Null(call.Arguments);
        Assert.NotNull(call.Exception);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CutOffCall_RetryOptIn_AsksAgainWithALargerLimit(bool stream)
    {
        await using var server = await ReplayServer.StartAsync(Truncated(stream), Complete());
        using var client = new TruncatedToolCallChatClient(new LlamaCppChatClient(server.BaseAddress)) { RetryWithLargerLimit = true };

        // The recorded complete call is a JSON body, which the engine also accepts for a streamed request.
        var response = await AskAsync(client, stream, Options);

        var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("Paris", call.Arguments!["city"]!.ToString());
        Assert.Equal(12, (int)server.Requests[0].BodyJson!["max_tokens"]!);
        Assert.Equal(24, (int)server.Requests[1].BodyJson!["max_tokens"]!);
    }

    [Fact]
    public async Task CompleteCallAtTheLimit_PassesThrough()
    {
        await using var server = await ReplayServer.StartAsync(Complete());
        using var client = new TruncatedToolCallChatClient(new LlamaCppChatClient(server.BaseAddress));

        var response = await client.GetResponseAsync(Question, Options, Ct);

        Assert.Equal("fahrenheit", Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>()).Arguments!["unit"]!.ToString());
    }
}
