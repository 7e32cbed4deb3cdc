using Microsoft.Extensions.AI;

namespace OpenModelClient.Tests.ServerFeatures;

/// <summary><c>ReasoningEffort.None</c> against the real llama.cpp server with templates that read different switches.</summary>
public sealed class ReasoningOffLiveTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("deepseek-ai-DeepSeek-R1-Distill-Qwen-32B.jinja", "deepseek-r1-distill-qwen-32b")] // opens <think> in the prompt; no enable_thinking of its own
    [InlineData("Qwen3.5-4B.jinja", "qwen3.5-4b")] // reads enable_thinking
    public async Task Effort_none_switches_thinking_off_whatever_the_template_reads(string template, string modelId)
    {
        await using var server = await LiveLlamaServer.StartAsync(["-m", LiveLlamaServer.TinyModel, "-c", "1024", "-np", "1", "--jinja", "--chat-template-file", LiveLlamaServer.Template(template), "--reasoning-format", "deepseek"]);
        using var client = new LlamaCppChatClient(server.Endpoint, modelId);
        var options = new ChatOptions { MaxOutputTokens = 6, Seed = 1 };

        var thinking = await client.GetResponseAsync("hi", options, Ct);
        options.Reasoning = new ReasoningOptions { Effort = ReasoningEffort.None };
        var off = await client.GetResponseAsync("hi", options, Ct);

        Assert.NotEmpty(thinking.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>()); // the template thinks when nothing is sent
        Assert.Empty(off.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>());
        Assert.NotEmpty(off.Text);
    }
}
