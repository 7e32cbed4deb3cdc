using Microsoft.Extensions.AI;
using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Tests.ServerFeatures;

/// <summary>"Answer now": ending a running stream's reasoning, replayed from a transcript and live against the real llama.cpp server.</summary>
public sealed class ReasoningControlTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_response_that_is_no_longer_running_answers_false_not_an_error()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.FromFixture("llama.cpp-2026", "reasoning-control-no-active-completion"));
        using var client = new LlamaCppChatClient(server.BaseAddress, "qwen");

        bool ended = await client.GetService<IReasoningControl>()!.EndReasoningAsync("chatcmpl-finished", cancellationToken: Ct);

        Assert.False(ended);
        var request = Assert.Single(server.Requests);
        Assert.Equal("/v1/chat/completions/control", request.PathAndQuery);
        Assert.Equal("""{"id":"chatcmpl-finished","action":"reasoning_end","model":"qwen"}""", request.BodyText);
    }

    [Fact]
    public async Task Ending_the_reasoning_of_a_running_stream_makes_the_model_answer()
    {
        await using var server = await LiveLlamaServer.StartAsync(["-m", LiveLlamaServer.TinyModel, "-c", "2048", "-np", "2", "--jinja", "--chat-template-file", LiveLlamaServer.Template("Qwen3.5-4B.jinja"), "--reasoning-format", "deepseek"]);
        using var client = new LlamaCppChatClient(server.Endpoint);
        var control = client.GetService<IReasoningControl>()!;
        ChatOptions Options() => new() { MaxOutputTokens = 16, Seed = 3, AdditionalProperties = new() { ["reasoning_control"] = true } };

        // Left alone, the random model reasons to the token limit and never answers.
        var alone = await client.GetStreamingResponseAsync("hi", Options(), Ct).ToChatResponseAsync(Ct);
        Assert.Empty(alone.Text);
        Assert.NotEmpty(alone.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>());

        // Told to answer now after its third piece of reasoning, it moves on to the answer. Where the cut falls depends on timing, and
        // now and then the random model's answer is one llama-server's own output parser rejects (HTTP 500 "peg-native format" at
        // the stream's end): that is the server judging random text, not the control, so such a run is tried again, at most twice.
        bool? ended = null;
        var answer = new System.Text.StringBuilder();
        for (int attempt = 0; ; attempt++)
        {
            int reasoning = 0;
            (ended, answer) = (null, answer.Clear());
            try
            {
                await foreach (var update in client.GetStreamingResponseAsync("hi", Options(), Ct))
                {
                    reasoning += update.Contents.OfType<TextReasoningContent>().Count();
                    answer.Append(update.Text);
                    if (reasoning >= 3 && ended is null)
                    {
                        ended = await control.EndReasoningAsync(update.ResponseId!, cancellationToken: Ct);
                    }
                }

                break;
            }
            catch (OpenModelException e) when (attempt < 2 && e.StatusCode == System.Net.HttpStatusCode.InternalServerError && e.Message.Contains("peg-native", StringComparison.Ordinal))
            {
            }
        }

        Assert.True(ended);
        Assert.NotEmpty(answer.ToString());
        Assert.True((await client.GetService<ModelCapabilitiesProvider>()!.GetCapabilitiesAsync(Ct)).SupportsReasoningControl);
    }
}
