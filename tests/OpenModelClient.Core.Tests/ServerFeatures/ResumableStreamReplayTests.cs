using System.Text;
using Microsoft.Extensions.AI;
using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Tests.ServerFeatures;

/// <summary>Resumable streams replayed from transcripts recorded from the real llama.cpp server (runs on any machine).</summary>
public sealed class ResumableStreamReplayTests
{
    private const string Provider = "llama.cpp-2026";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_stream_cut_at_byte_700_continues_from_the_recorded_replay_and_loses_nothing()
    {
        // The recorded replay was asked for from=700 of the recorded original: cutting the original there joins byte-exact.
        await using var server = await ReplayServer.StartAsync(
            ReplayResponse.FromFixture(Provider, "stream-resume-original").CutAfterBytes(700),
            ReplayResponse.FromFixture(Provider, "stream-resume-replay-from-offset"));
        using var client = new LlamaCppChatClient(server.BaseAddress);

        string text = await CollectAsync(client);

        Assert.Equal(ExpectedText(), text);
        Assert.Equal(2, server.Requests.Count);
        Assert.StartsWith("omc-", server.Requests[0].Headers["X-Conversation-Id"], StringComparison.Ordinal);
        Assert.Matches("^/v1/stream\\?conv_id=omc-[0-9a-f]{32}&from=700$", server.Requests[1].PathAndQuery);
        Assert.Equal("GET", server.Requests[1].Method);
    }

    [Fact]
    public async Task A_stream_whose_session_is_gone_ends_with_the_truncated_stream_error()
    {
        await using var server = await ReplayServer.StartAsync(
            ReplayResponse.FromFixture(Provider, "stream-resume-original").CutAfterBytes(700),
            ReplayResponse.FromFixture(Provider, "stream-resume-unknown-conversation"));
        using var client = new LlamaCppChatClient(server.BaseAddress);

        var e = await Assert.ThrowsAsync<OpenModelProtocolException>(() => CollectAsync(client));

        Assert.True(e.IsTruncated);
        Assert.Contains("Resuming the stream at byte 700 failed", e.Message, StringComparison.Ordinal);
    }

    private static string ExpectedText()
    {
        var body = Encoding.UTF8.GetString(HttpTranscript.Load(Provider, "stream-resume-original").Body);
        var text = new StringBuilder();
        foreach (var line in body.Split('\n').Where(l => l.StartsWith("data: {", StringComparison.Ordinal)))
        {
            using var doc = System.Text.Json.JsonDocument.Parse(line["data: ".Length..]);
            if (doc.RootElement.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var content) && content.ValueKind == System.Text.Json.JsonValueKind.String)
            {
                text.Append(content.GetString());
            }
        }

        return text.ToString();
    }

    private static async Task<string> CollectAsync(IChatClient client)
    {
        var text = new StringBuilder();
        await foreach (var update in client.GetStreamingResponseAsync("hi", new ChatOptions { MaxOutputTokens = 8, Seed = 3 }, Ct))
        {
            text.Append(update.Text);
        }

        return text.ToString();
    }
}
