using System.Text;
using Microsoft.Extensions.AI;

namespace OpenModelClient.Tests.ServerFeatures;

/// <summary>Resumable streams against the real llama.cpp server: a connection cut mid-stream is resumed byte-exact, and a caller's
/// continuation token reattaches to the same generation.</summary>
public sealed class ResumableStreamLiveTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ChatOptions Options() => new() { MaxOutputTokens = 16, Seed = 3, Temperature = 0 };

    [Fact]
    public async Task A_stream_cut_mid_way_resumes_and_equals_an_uncut_one()
    {
        await using var server = await LiveLlamaServer.StartChatAsync();
        using var direct = new LlamaCppChatClient(server.Endpoint, options: new LlamaCppClientOptions { ResumableStreams = false });
        string expected = await CollectAsync(direct, Options());

        // Cut after the headers and two events, in the middle of the third.
        await using var proxy = new CuttingProxy(server.Endpoint, cutAfterResponseBytes: 900);
        using var client = new LlamaCppChatClient(proxy.Endpoint);
        string resumed = await CollectAsync(client, Options());

        Assert.True(proxy.Cut, "the proxy never cut the stream");
        Assert.Contains(proxy.RequestLines, line => line.StartsWith("GET /v1/stream?conv_id=omc-", StringComparison.Ordinal) && line.Contains("&from=", StringComparison.Ordinal));
        Assert.NotEmpty(expected);
        Assert.Equal(expected, resumed);
    }

    [Fact]
    public async Task A_continuation_token_reattaches_and_continues_where_the_caller_left_off()
    {
        await using var server = await LiveLlamaServer.StartChatAsync();
        using var client = new LlamaCppChatClient(server.Endpoint);
        string expected = await CollectAsync(client, Options());

        var options = Options();
        options.AllowBackgroundResponses = true;
        var first = new StringBuilder();
        ResponseContinuationToken? token = null;
        await foreach (var update in client.GetStreamingResponseAsync("hi", options, Ct))
        {
            first.Append(update.Text);
            token = update.ContinuationToken;
            if (first.Length > 0 && token is not null)
            {
                break; // the caller goes away after its first text
            }
        }

        Assert.NotNull(token);
        var rest = new StringBuilder();
        var later = new ChatOptions { ContinuationToken = token, AllowBackgroundResponses = true };
        ChatResponseUpdate? last = null;
        await foreach (var update in client.GetStreamingResponseAsync([], later, Ct))
        {
            rest.Append(update.Text);
            last = update;
        }

        Assert.Equal(expected, first.ToString() + rest);
        Assert.NotNull(last);
        Assert.Null(last.ContinuationToken); // nothing left to continue after the end
    }

    [Fact]
    public async Task Cancelling_the_call_cancels_the_generation_on_the_server()
    {
        await using var server = await LiveLlamaServer.StartChatAsync();
        using var client = new LlamaCppChatClient(server.Endpoint);
        var options = new ChatOptions { MaxOutputTokens = 200, Seed = 3, AllowBackgroundResponses = true };
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        ResponseContinuationToken? token = null;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi", options, cts.Token))
            {
                token ??= update.ContinuationToken;
                await cts.CancelAsync();
            }
        });

        // The session is gone: continuing it is the typed truncated-stream error, not a replay.
        Assert.NotNull(token);
        var e = await Assert.ThrowsAsync<OpenModelProtocolException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync([], new ChatOptions { ContinuationToken = token }, Ct))
            {
            }
        });
        Assert.True(e.IsTruncated);
    }

    private static async Task<string> CollectAsync(IChatClient client, ChatOptions options)
    {
        var text = new StringBuilder();
        await foreach (var update in client.GetStreamingResponseAsync("hi", options, Ct))
        {
            text.Append(update.Text);
        }

        return text.ToString();
    }
}
