using System.Text;
using Microsoft.Extensions.AI;
using OpenModelClient.Tests.Infrastructure;
using static OpenModelClient.Tests.LlamaCpp.LlamaCppReplay;

namespace OpenModelClient.Tests.OpenAICompatible;

/// <summary>Every SSE rule (data lines, comments, line endings, [DONE]), over the real socket, plus the failure modes a stream can have.</summary>
public class SseStreamingTests
{
    private const string Expected = "(@\" uint edge Backgroundatlea Eclipsecept";

    private static string ChatStreamBody => Encoding.UTF8.GetString(HttpTranscript.Load(Provider, "chat-stream").Body);

    public static TheoryData<string, ReplayChunking> LineEndingMatrix()
    {
        var data = new TheoryData<string, ReplayChunking>();
        foreach (var ending in new[] { "\n", "\r\n", "\r" })
        {
            foreach (var chunking in new[] { ReplayChunking.Whole, ReplayChunking.PerEvent, ReplayChunking.PerByte })
            {
                data.Add(ending, chunking);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(LineEndingMatrix))]
    public async Task Parses_the_recorded_stream_with_any_line_ending_and_any_read_size(string lineEnding, ReplayChunking chunking)
    {
        var body = ChatStreamBody.Replace("\n", lineEnding, StringComparison.Ordinal);
        var response = await StreamAsync(ReplayResponse.Sse(body).WithChunking(chunking));
        Assert.Equal(Expected, response.Text);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal(8, response.Usage!.OutputTokenCount);
    }

    [Fact]
    public async Task Accepts_data_without_a_space_comments_pings_and_blank_lines()
    {
        var body = ":\n\n: keep-alive\n\n\n" + ChatStreamBody.Replace("data: ", "data:", StringComparison.Ordinal).Replace("\n\ndata:", "\n\n:\n\ndata:", StringComparison.Ordinal);
        var response = await StreamAsync(ReplayResponse.Sse(body));
        Assert.Equal(Expected, response.Text);
    }

    [Fact]
    public async Task A_stream_ending_after_its_finish_reason_without_DONE_is_complete()
    {
        var body = ChatStreamBody.Replace("data: [DONE]\n\n", string.Empty, StringComparison.Ordinal);
        var response = await StreamAsync(ReplayResponse.Sse(body));
        Assert.Equal(Expected, response.Text);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
    }

    [Fact]
    public async Task A_stream_ending_without_DONE_or_finish_reason_throws_truncated()
    {
        var events = ChatStreamBody.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        var body = string.Join("\n\n", events.Take(4)) + "\n\n";
        var (updates, error) = await StreamCapturingAsync(ReplayResponse.Sse(body));
        var e = Assert.IsType<OpenModelProtocolException>(error);
        Assert.True(e.IsTruncated);
        Assert.Equal("chatcmpl-GfFcxZUS9TuUB14FYkeHWeMVshg6Tvu7", e.RequestId);
        Assert.Equal("(@\" uint edge", string.Concat(updates.Select(u => u.Text)));
    }

    [Fact]
    public async Task A_connection_cut_mid_stream_throws_truncated_after_what_arrived()
    {
        int cut = ChatStreamBody.IndexOf(" edge", StringComparison.Ordinal);
        var (updates, error) = await StreamCapturingAsync(ReplayResponse.FromFixture(Provider, "chat-stream").CutAfterBytes(Encoding.UTF8.GetByteCount(ChatStreamBody[..cut])));
        var e = Assert.IsType<OpenModelProtocolException>(error);
        Assert.True(e.IsTruncated);
        Assert.Equal("truncated_stream", e.ErrorCode);
        Assert.Equal("chatcmpl-GfFcxZUS9TuUB14FYkeHWeMVshg6Tvu7", e.RequestId);
        Assert.Equal("(@\" uint", string.Concat(updates.Select(u => u.Text)));
    }

    [Fact]
    public async Task A_malformed_chunk_throws_a_protocol_error_quoting_it()
    {
        var body = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"}}],\"id\":\"x\"}\n\ndata: {\"choices\":[{\"index\":0,\"delt\n\n";
        var (updates, error) = await StreamCapturingAsync(ReplayResponse.Sse(body));
        var e = Assert.IsType<OpenModelProtocolException>(error);
        Assert.False(e.IsTruncated);
        Assert.Equal("malformed_response", e.ErrorCode);
        Assert.Equal("x", e.RequestId);
        Assert.Equal("{\"choices\":[{\"index\":0,\"delt", e.ReceivedPrefix);
        Assert.Contains("{\"choices\":[{\"index\":0,\"delt", e.Message, StringComparison.Ordinal);
        Assert.Equal("ok", Assert.Single(updates).Text);
    }

    [Fact]
    public async Task An_error_event_inside_the_stream_throws_the_typed_error_after_the_text_before_it()
    {
        var (updates, error) = await StreamCapturingAsync(ReplayResponse.FromFixture(Provider, "error-json-object-unparsable-output-stream"));
        var e = Assert.IsType<OpenModelException>(error);
        Assert.Equal(OpenModelErrorKind.ServerError, e.Kind);
        Assert.Equal("server_error", e.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, e.StatusCode);
        Assert.Equal("The model produced output that does not match the expected peg-native format", e.ProviderMessage);
        Assert.Equal("chatcmpl-uCJ3f1xLLWKC359Qeck1Twakh9Yv2fpL", e.RequestId);
        Assert.Equal(" playerHidden", string.Concat(updates.Select(u => u.Text)));
    }

    [Fact]
    public async Task An_error_after_reasoning_and_json_content_throws_after_both()
    {
        var (updates, error) = await StreamCapturingAsync(ReplayResponse.FromFixture(Provider, "error-reasoning-budget-with-json-schema-stream"));
        var e = Assert.IsType<OpenModelException>(error);
        Assert.Equal(OpenModelErrorKind.ServerError, e.Kind);
        var contents = updates.SelectMany(u => u.Contents).ToList();
        Assert.Contains(contents, c => c is TextReasoningContent);
        Assert.Contains(contents, c => c is TextContent);
    }

    [Theory]
    [InlineData(ReplayChunking.Whole)]
    [InlineData(ReplayChunking.PerEvent)]
    [InlineData(ReplayChunking.PerByte)]
    public async Task An_old_llama_cpp_error_line_before_DONE_throws_the_typed_error_not_a_normal_end(ReplayChunking chunking)
    {
        // llama.cpp before PR #16109: a non-standard "error:" SSE field, then an ordinary [DONE]. SSE parsers drop the
        // unknown field, so without a check the stream would end as if complete.
        const string Chunk = "data: {\"id\":\"chatcmpl-old\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"TEXT\"},\"finish_reason\":null}]}\n\n";
        var body = Chunk.Replace("TEXT", "Hello", StringComparison.Ordinal) + Chunk.Replace("TEXT", " there", StringComparison.Ordinal)
            + "error: {\"code\":500,\"message\":\"Input prompt is too big compared to KV size.\",\"type\":\"server_error\"}\n\n"
            + "data: [DONE]\n\n";

        var (updates, error) = await StreamCapturingAsync(ReplayResponse.Sse(body).WithChunking(chunking));

        var e = Assert.IsType<OpenModelException>(error);
        Assert.Equal(OpenModelErrorKind.ServerError, e.Kind);
        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, e.StatusCode);
        Assert.Equal("server_error", e.ErrorCode);
        Assert.Equal("Input prompt is too big compared to KV size.", e.ProviderMessage);
        Assert.Equal("chatcmpl-old", e.RequestId);
        Assert.Equal("Hello there", string.Concat(updates.Select(u => u.Text)));
    }

    [Fact]
    public async Task Data_that_merely_mentions_error_colon_is_text_not_an_error()
    {
        var body = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"error: none\\nerror: still none\"},\"finish_reason\":\"stop\"}]}\n\n: error: a comment\n\ndata: [DONE]\n\n";
        var (updates, error) = await StreamCapturingAsync(ReplayResponse.Sse(body));
        Assert.Null(error);
        Assert.Equal("error: none\nerror: still none", string.Concat(updates.Select(u => u.Text)));
    }

    [Fact]
    public async Task A_flat_vllm_error_object_in_the_stream_throws()
    {
        var body = "data: {\"object\":\"error\",\"message\":\"boom\",\"type\":\"BadRequestError\",\"param\":null,\"code\":400}\n\n";
        var (_, error) = await StreamCapturingAsync(ReplayResponse.Sse(body));
        var e = Assert.IsType<InvalidRequestException>(error);
        Assert.Equal("boom", e.ProviderMessage);
    }

    [Fact]
    public async Task Tolerates_usage_only_chunks_empty_deltas_missing_finish_fields_and_null_content()
    {
        var body =
            "data: {\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null}}]}\n\n" +
            "data: {\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{}}]}\n\n" +
            "data: {\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"reasoning\":\"hm\"}}]}\n\n" +
            "data: {\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}\n\n" +
            "data: {\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n" +
            "data: {\"id\":\"c1\",\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5,\"completion_tokens_details\":{\"reasoning_tokens\":1}}}\n\n" +
            "data: [DONE]\n\n";
        var response = await StreamAsync(ReplayResponse.Sse(body));
        Assert.Equal("Hi", response.Text);
        Assert.Equal("hm", Assert.Single(response.Messages[0].Contents.OfType<TextReasoningContent>()).Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(5, response.Usage!.TotalTokenCount);
        Assert.Equal(1, response.Usage.ReasoningTokenCount);
        Assert.Equal("m", response.ModelId);
    }

    [Fact]
    public async Task Parallel_streamed_tool_calls_are_kept_apart_by_index_and_missing_ids_are_synthesised()
    {
        // DashScope-style: later fragments repeat "id":"", and the second call has no id at all.
        var body =
            "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}}]}\n\n" +
            "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"type\":\"function\",\"function\":{\"name\":\"get_time\",\"arguments\":\"{\\\"tz\\\"\"}}]}}]}\n\n" +
            "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"\",\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]}}]}\n\n" +
            "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"\",\"function\":{\"arguments\":\":\\\"UTC\\\"}\"}}]}}]}\n\n" +
            "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]}}]}\n\n" +
            "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n" +
            "data: [DONE]\n\n";
        var response = await StreamAsync(ReplayResponse.Sse(body));
        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal(2, calls.Count);
        Assert.Equal("call_a", calls[0].CallId);
        Assert.Equal("get_weather", calls[0].Name);
        Assert.Equal("Paris", calls[0].Arguments!["city"]?.ToString());
        Assert.Equal("get_time", calls[1].Name);
        Assert.Equal("UTC", calls[1].Arguments!["tz"]?.ToString());
        Assert.StartsWith("call_", calls[1].CallId, StringComparison.Ordinal);
        Assert.NotEqual(calls[0].CallId, calls[1].CallId);
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
    }

    [Fact]
    public async Task Inline_think_tags_are_split_across_chunk_boundaries_while_streaming()
    {
        string[] pieces = ["<thi", "nk>pon", "der</th", "ink>\n\nAns", "wer"];
        var body = string.Concat(pieces.Select(p => $"data: {{\"id\":\"c\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"{p.Replace("\n", "\\n", StringComparison.Ordinal)}\"}}}}]}}\n\n"))
            + "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n";
        var response = await StreamAsync(ReplayResponse.Sse(body));
        Assert.Equal("ponder", string.Concat(response.Messages[0].Contents.OfType<TextReasoningContent>().Select(c => c.Text)));
        Assert.Equal("Answer", response.Text);
    }

    [Fact]
    public async Task An_unknown_finish_reason_is_preserved_with_the_partial_output()
    {
        var body = "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"par\"}}]}\n\ndata: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"insufficient_system_resource\"}]}\n\ndata: [DONE]\n\n";
        var response = await StreamAsync(ReplayResponse.Sse(body));
        Assert.Equal("par", response.Text);
        Assert.Equal(new ChatFinishReason("insufficient_system_resource"), response.FinishReason);
    }

    [Fact]
    public async Task Cancelling_mid_stream_throws_and_releases_the_connection()
    {
        int firstEvents = Encoding.UTF8.GetByteCount(string.Join("\n\n", ChatStreamBody.Split("\n\n").Take(3)) + "\n\n");
        await using var server = await ReplayServer.StartAsync(ReplayResponse.FromFixture(Provider, "chat-stream").StallAfterBytes(firstEvents));
        using var client = Client(server);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var received = new List<string>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: cts.Token))
            {
                received.Add(update.Text);
                if (received.Count == 2)
                {
                    await cts.CancelAsync();
                }
            }
        });

        Assert.Equal(["(@\"", " uint"], received);
        await server.WaitForClientAbortAsync(TimeSpan.FromSeconds(10));
        await server.WaitForActiveConnectionsAsync(0, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Cancelling_before_the_first_byte_throws_and_releases_the_connection()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.FromFixture(Provider, "chat-stream").WithFirstByteDelay(TimeSpan.FromSeconds(30)));
        using var client = Client(server);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in client.GetStreamingResponseAsync("hi", cancellationToken: cts.Token))
            {
            }
        });

        await server.WaitForActiveConnectionsAsync(0, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_slow_first_byte_is_waited_for()
    {
        var response = await StreamAsync(ReplayResponse.FromFixture(Provider, "chat-stream").WithFirstByteDelay(TimeSpan.FromMilliseconds(500)));
        Assert.Equal(Expected, response.Text);
    }

    [Fact]
    public async Task A_server_answering_a_stream_request_with_plain_json_still_yields_the_response()
    {
        var response = await StreamAsync(ReplayResponse.FromFixture(Provider, "chat-nonstream-length"));
        Assert.Equal(Expected, response.Text);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
    }

    [Fact]
    public async Task A_400_before_the_stream_starts_throws_the_typed_error()
    {
        var (updates, error) = await StreamCapturingAsync(ReplayResponse.FromFixture(Provider, "error-400-logprobs-tools-stream"));
        var e = Assert.IsType<InvalidRequestException>(error);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Equal("invalid_request_error", e.ErrorCode);
        Assert.Empty(updates);
    }

    private static async Task<ChatResponse> StreamAsync(ReplayResponse reply)
    {
        var (updates, error) = await StreamCapturingAsync(reply);
        Assert.Null(error);
        return updates.ToChatResponse();
    }

    private static async Task<(List<ChatResponseUpdate> Updates, Exception? Error)> StreamCapturingAsync(ReplayResponse reply)
    {
        await using var server = await ReplayServer.StartAsync(reply);
        using var client = Client(server);
        var updates = new List<ChatResponseUpdate>();
        Exception? error = null;
        try
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: TestContext.Current.CancellationToken))
            {
                updates.Add(update);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            error = e;
        }

        // Whatever the outcome: one request (the provider clients never retry; a cut llama.cpp stream only asks to resume it,
        // which this server cannot), and the client, still alive, holds no connection in use.
        Assert.Equal(1, server.Requests.Count(r => !r.PathAndQuery.StartsWith("/v1/stream?", StringComparison.Ordinal)));
        await server.WaitForClientConnectionsReleasedAsync(TimeSpan.FromSeconds(10));
        return (updates, error);
    }
}
