using System.Text;
using Microsoft.Extensions.AI;

namespace OpenModelClient.Tests.ServerFeatures;

/// <summary>Resumable streams over raw sockets: what the caller gets when a stream cannot be resumed, how fragments join across the
/// seam, and that a call that ends early cancels the server's generation.</summary>
public sealed class ResumableStreamWireTests
{
    private const string Id = "chatcmpl-seam";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Event(string delta, string? finish = null) =>
        $"data: {{\"choices\":[{{\"finish_reason\":{(finish is null ? "null" : $"\"{finish}\"")},\"index\":0,\"delta\":{delta}}}],\"id\":\"{Id}\",\"object\":\"chat.completion.chunk\"}}\n\n";

    [Theory]
    [InlineData(404, "Not Found", "{\"error\":{\"message\":\"File Not Found\",\"type\":\"not_found_error\",\"code\":404}}")] // no support, or session expired
    [InlineData(400, "Bad Request", "{\"error\":{\"message\":\"offset is no longer available\",\"type\":\"invalid_request_error\",\"code\":400}}")] // offset evicted
    public async Task A_break_that_cannot_be_resumed_is_the_truncated_stream_error_after_the_text_that_arrived(int status, string reason, string body)
    {
        await using var server = new ScriptedSocketServer(async (head, stream) =>
        {
            if (head.StartsWith("POST", StringComparison.Ordinal))
            {
                await ScriptedSocketServer.WriteAsync(stream, ScriptedSocketServer.SseHead + ScriptedSocketServer.Chunk(Event("{\"content\":\"Hello\"}")));
                return true; // reset mid-stream
            }

            await ScriptedSocketServer.WriteAsync(stream, ScriptedSocketServer.Json(status, reason, body));
            return false;
        });
        using var client = new LlamaCppChatClient(server.Endpoint);
        var text = new StringBuilder();

        var e = await Assert.ThrowsAsync<OpenModelProtocolException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: Ct))
            {
                text.Append(update.Text);
            }
        });

        Assert.True(e.IsTruncated);
        Assert.Contains("Resuming the stream at byte", e.Message, StringComparison.Ordinal);
        Assert.Equal("Hello", text.ToString());
        Assert.Contains(server.RequestLines, l => l.StartsWith("GET /v1/stream?conv_id=omc-", StringComparison.Ordinal));
        string conversation = server.RequestHeads[0].Split("\r\n").Single(l => l.StartsWith("X-Conversation-Id:", StringComparison.OrdinalIgnoreCase));
        Assert.StartsWith("X-Conversation-Id: omc-", conversation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_that_breaks_again_without_progress_gives_up_after_a_bounded_number_of_attempts()
    {
        await using var server = new ScriptedSocketServer(async (head, stream) =>
        {
            await ScriptedSocketServer.WriteAsync(stream, ScriptedSocketServer.SseHead + (head.StartsWith("POST", StringComparison.Ordinal) ? ScriptedSocketServer.Chunk(Event("{\"content\":\"Hi\"}")) : ""));
            return true;
        });
        using var client = new LlamaCppChatClient(server.Endpoint);

        var e = await Assert.ThrowsAsync<OpenModelProtocolException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: Ct))
            {
            }
        });

        Assert.True(e.IsTruncated);
        Assert.Equal(ResumingReadStream.MaxAttemptsWithoutProgress, server.RequestLines.Count(l => l.StartsWith("GET", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Tool_call_fragments_join_across_the_seam_and_nothing_repeats()
    {
        string first = Event("{\"role\":\"assistant\",\"content\":null}") + Event("{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"ci\"}}]}");
        string rest = Event("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"ty\\\":\\\"Paris\\\"}\"}}]}") + Event("{}", "tool_calls") + "data: [DONE]\n\n";
        string whole = first + rest;
        int cut = first.Length - 7; // inside the second event
        long? askedFrom = null;
        await using var server = new ScriptedSocketServer(async (head, stream) =>
        {
            if (head.StartsWith("POST", StringComparison.Ordinal))
            {
                await ScriptedSocketServer.WriteAsync(stream, ScriptedSocketServer.SseHead + ScriptedSocketServer.Chunk(whole[..cut]));
                return true;
            }

            var from = head.Split(' ')[1].Split("from=")[1];
            askedFrom = long.Parse(from, System.Globalization.CultureInfo.InvariantCulture);
            await ScriptedSocketServer.WriteAsync(stream, ScriptedSocketServer.SseHead + ScriptedSocketServer.Chunk(whole[(int)askedFrom.Value..]) + "0\r\n\r\n");
            return false;
        });
        using var client = new LlamaCppChatClient(server.Endpoint);

        var response = await client.GetStreamingResponseAsync("weather?", cancellationToken: Ct).ToChatResponseAsync(Ct);

        Assert.Equal(cut, askedFrom);
        var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("Paris", call.Arguments!["city"]?.ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
    }

    [Fact]
    public async Task Cancelling_a_call_sends_delete_for_its_conversation()
    {
        var deleted = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new ScriptedSocketServer(async (head, stream) =>
        {
            if (head.StartsWith("DELETE", StringComparison.Ordinal))
            {
                deleted.TrySetResult(head);
                await ScriptedSocketServer.WriteAsync(stream, "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                return false;
            }

            await ScriptedSocketServer.WriteAsync(stream, ScriptedSocketServer.SseHead + ScriptedSocketServer.Chunk(Event("{\"content\":\"Hi\"}")));
            await Task.Delay(Timeout.Infinite, Ct); // the server keeps generating
            return false;
        });
        using var client = new LlamaCppChatClient(server.Endpoint);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: cts.Token))
            {
                await cts.CancelAsync();
            }
        });

        string delete = await deleted.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        string conversation = server.RequestHeads[0].Split("\r\n").Single(l => l.StartsWith("X-Conversation-Id:", StringComparison.OrdinalIgnoreCase))["X-Conversation-Id: ".Length..];
        Assert.StartsWith($"DELETE /v1/stream?conv_id={conversation} ", delete, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_from_another_client_kind_is_refused()
    {
        using var client = new LlamaCppChatClient(new Uri("http://127.0.0.1:9/"));
        var options = new ChatOptions { ContinuationToken = ResponseContinuationToken.FromBytes("something else"u8.ToArray()) };

        await Assert.ThrowsAsync<ArgumentException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync([], options, Ct))
            {
            }
        });
    }
}
