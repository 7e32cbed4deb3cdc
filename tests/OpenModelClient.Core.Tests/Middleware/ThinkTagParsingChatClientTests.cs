using Microsoft.Extensions.AI;
using OpenModelClient.Tests.TestDoubles;
using static OpenModelClient.Tests.TestDoubles.Hosted;

namespace OpenModelClient.Tests.Middleware;

public class ThinkTagParsingChatClientTests
{
    private const string Reply = "<think>plan: a<b</think>The answer is <think> literal.";
    private const string ExpectedReasoning = "plan: a<b";
    private const string ExpectedText = "The answer is <think> literal.";

    private static ChatResponseUpdate Text(string text, ChatFinishReason? finish = null) =>
        new(ChatRole.Assistant, text) { MessageId = "m1", ResponseId = "r1", FinishReason = finish };

    private static async Task<List<ChatResponseUpdate>> StreamThroughAsync(IReadOnlyList<ChatResponseUpdate> updates)
    {
        using var inner = new ScriptedChatClient("vllm") { Updates = updates };
        using var client = new ChatClientBuilder(inner).UseThinkTagParsing().Build();
        return await CollectAsync(client.GetStreamingResponseAsync("q", cancellationToken: Ct));
    }

    private static void AssertSplit(List<ChatResponseUpdate> output, string description)
    {
        var contents = output.SelectMany(u => u.Contents).ToList();
        Assert.True(ExpectedReasoning == ReasoningText(output), $"reasoning differs for {description}: '{ReasoningText(output)}'");
        Assert.True(ExpectedText == string.Concat(contents.OfType<TextContent>().Select(t => t.Text)), $"text differs for {description}");
        int lastReasoning = contents.FindLastIndex(c => c is TextReasoningContent);
        int firstText = contents.FindIndex(c => c is TextContent);
        Assert.True(lastReasoning < firstText, $"reasoning after text for {description}");
        Assert.All(contents.OfType<TextReasoningContent>(), r => Assert.Equal("vllm", ReasoningProvenance.GetProvider(r)));
    }

    [Fact]
    public async Task Tags_cut_at_every_pair_of_chunk_boundaries_are_recognised()
    {
        for (int i = 0; i <= Reply.Length; i++)
        {
            for (int j = i; j <= Reply.Length; j++)
            {
                var output = await StreamThroughAsync([Text(Reply[..i]), Text(Reply[i..j]), Text(Reply[j..], ChatFinishReason.Stop)]);
                AssertSplit(output, $"cuts at {i} and {j}");
                Assert.Equal(ChatFinishReason.Stop, output.Last().FinishReason);
            }
        }
    }

    [Fact]
    public async Task One_character_per_update_without_a_finish_reason_is_flushed_at_the_end()
    {
        var output = await StreamThroughAsync([.. Reply.Select(c => Text(c.ToString()))]);
        AssertSplit(output, "one character per update");
    }

    [Fact]
    public async Task Tool_calls_and_usage_pass_through_in_order()
    {
        var call = new FunctionCallContent("c1", "get_weather");
        var usage = new UsageContent(new UsageDetails { OutputTokenCount = 3 });
        var output = await StreamThroughAsync(
        [
            Text("<think>need a tool"),
            new ChatResponseUpdate(ChatRole.Assistant, [new TextContent("</think>"), call, usage]) { MessageId = "m1", FinishReason = ChatFinishReason.ToolCalls },
        ]);

        var contents = output.SelectMany(u => u.Contents).ToList();
        Assert.Equal("need a tool", ReasoningText(output));
        Assert.Same(call, contents[^2]);
        Assert.Same(usage, contents[^1]);
        Assert.DoesNotContain(contents, c => c is TextContent);
    }

    [Fact]
    public async Task Text_without_a_think_block_is_unchanged()
    {
        var output = await StreamThroughAsync([Text("<th"), Text("is is text"), Text(" only", ChatFinishReason.Stop)]);
        Assert.Equal("<this is text only", string.Concat(output.Select(u => u.Text)));
        Assert.Empty(output.SelectMany(u => u.Contents).OfType<TextReasoningContent>());
    }

    [Theory]
    [InlineData("<think>plan</think>\nAnswer", "plan", "Answer")]
    [InlineData("  <think>plan</think>Answer", "plan", "Answer")]
    [InlineData("plan</think>Answer", "plan", "Answer")]
    [InlineData("No tags at all", "", "No tags at all")]
    [InlineData("Answer <think>not reasoning</think>", "", "Answer <think>not reasoning</think>")]
    public async Task Non_streamed_replies_are_split(string reply, string reasoning, string text)
    {
        using var inner = new ScriptedChatClient("llama.cpp") { Response = () => new ChatResponse(new ChatMessage(ChatRole.Assistant, reply)) };
        using var client = new ThinkTagParsingChatClient(inner);

        var response = await client.GetResponseAsync("q", cancellationToken: Ct);

        Assert.Equal(reasoning, ReasoningText(response));
        Assert.Equal(text, response.Text);
        Assert.All(response.Messages[0].Contents.OfType<TextReasoningContent>(), r => Assert.Equal("llama.cpp", ReasoningProvenance.GetProvider(r)));
    }

    [Fact]
    public void The_builder_extension_adds_the_decorator_and_guards_its_argument()
    {
        using var inner = new ScriptedChatClient();
        using var client = inner.AsBuilder().UseThinkTagParsing().Build();
        Assert.IsType<ThinkTagParsingChatClient>(client.GetService<ThinkTagParsingChatClient>());
        Assert.Throws<ArgumentNullException>(() => ThinkTagParsingChatClientBuilderExtensions.UseThinkTagParsing(null!));
        Assert.Throws<ArgumentNullException>(() => new ThinkTagParsingChatClient(null!));
    }
}
