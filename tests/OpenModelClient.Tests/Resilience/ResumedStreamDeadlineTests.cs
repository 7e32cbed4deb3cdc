using System.Threading.Channels;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using OpenModelClient.Tests.ServerFeatures;

namespace OpenModelClient.Tests.Resilience;

/// <summary>A llama.cpp stream resumed after a cut stays within the call's <c>Timeouts:Total</c>: the resume GET gets what is left of the
/// call's budget, not a fresh one. The clock is fake, so the test does not depend on how fast the machine is.</summary>
public sealed class ResumedStreamDeadlineTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Event(string content) =>
        "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + content + "\"},\"finish_reason\":null}]}\n\n";

    [Fact]
    public async Task The_resumed_part_of_a_stream_ends_when_the_calls_total_limit_runs_out()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var cut = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        string first = Event("one");
        await using var server = new ScriptedSocketServer(async (head, stream) =>
        {
            if (head.StartsWith("POST", StringComparison.Ordinal))
            {
                await ScriptedSocketServer.WriteAsync(stream, ScriptedSocketServer.SseHead + ScriptedSocketServer.Chunk(first));
                await cut.Task; // then the connection closes mid-stream
                return true;
            }

            // The resume GET: the rest arrives, then the server keeps the stream open without ending it.
            await ScriptedSocketServer.WriteAsync(stream, ScriptedSocketServer.SseHead + ScriptedSocketServer.Chunk(Event("two")));
            await hold.Task.WaitAsync(Ct);
            return false;
        });
        await using var hosted = HostedClient.Create(server.Endpoint, clock, ("Timeouts:Total", "00:00:10"), ("Timeouts:Idle", "Infinite"), ("Retry:MaxAttempts", "1"));
        var texts = Channel.CreateUnbounded<string>();
        var reading = Task.Run(async () =>
        {
            try
            {
                await foreach (var update in hosted.Client.GetStreamingResponseAsync("hi", cancellationToken: Ct))
                {
                    if (update.Text is { Length: > 0 } text)
                    {
                        await texts.Writer.WriteAsync(text, Ct);
                    }
                }
            }
            finally
            {
                texts.Writer.Complete();
            }
        }, Ct);

        Assert.Equal("one", await texts.Reader.ReadAsync(Ct).AsTask().WaitAsync(Patience, Ct));
        clock.Advance(TimeSpan.FromSeconds(9)); // 1 s of the call's 10 s left
        cut.SetResult();
        Assert.Equal("two", await texts.Reader.ReadAsync(Ct).AsTask().WaitAsync(Patience, Ct)); // resumed
        clock.Advance(TimeSpan.FromSeconds(2)); // past the call's total, though only 2 s into the resumed request

        var e = await Assert.ThrowsAsync<OpenModelProtocolException>(() => reading.WaitAsync(Patience, Ct));
        hold.SetResult();

        Assert.True(e.IsTruncated);
        Assert.Contains("Timeouts:Total", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, server.RequestLines.Count);
        Assert.StartsWith("GET /v1/stream?conv_id=", server.RequestLines[1], StringComparison.Ordinal);
    }
}
