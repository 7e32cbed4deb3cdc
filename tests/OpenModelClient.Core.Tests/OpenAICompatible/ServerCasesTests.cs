using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenModelClient.Tests.Infrastructure;
using OpenModelClient.Tests.TestDoubles;

namespace OpenModelClient.Tests.OpenAICompatible;

/// <summary>
/// Cases the recordings did not cover, over a real socket: a think block opened by the chat template in the prompt, a <c>[DONE]</c>
/// with no finish reason anywhere, interleaved <c>n &gt; 1</c> choices, a named tool choice on servers that ignore it, and retired ids.
/// </summary>
public class ServerCasesTests
{
    private const string R1Distill = "deepseek-ai/DeepSeek-R1-Distill-Qwen-32B";

    private static string Chunk(string deltaJson, string? finish = null, int index = 0, string model = R1Distill) =>
        $"data: {{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1764042665,\"model\":\"{model}\",\"choices\":[{{\"index\":{index},\"delta\":{deltaJson},\"finish_reason\":{(finish is null ? "null" : $"\"{finish}\"")}}}]}}\n\n";

    private static string Text(string text) => JsonSerializer.Serialize(new Dictionary<string, string> { ["content"] = text });

    private static string Completion(string content, string model = R1Distill, string? reasoning = null) =>
        $$"""{"id":"chatcmpl-2","object":"chat.completion","created":1764042665,"model":"{{model}}","choices":[{"index":0,"message":{"role":"assistant","content":{{JsonSerializer.Serialize(content)}}{{(reasoning is null ? "" : $",\"reasoning_content\":{JsonSerializer.Serialize(reasoning)}")}}},"finish_reason":"stop"}]}""";

    private static OpenAICompatibleChatClient Vllm(ReplayServer server, string model = R1Distill) =>
        new(new Uri(server.BaseAddress, "v1"), model, options: new() { Preset = OpenAICompatiblePreset.Vllm });

    private static async Task<List<ChatResponseUpdate>> CollectAsync(IChatClient client, ChatOptions? options = null)
    {
        var list = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("What is 2+2?", options, TestContext.Current.CancellationToken))
        {
            list.Add(update);
        }

        return list;
    }

    private static string Reasoning(IEnumerable<ChatResponseUpdate> updates) =>
        string.Concat(updates.SelectMany(u => u.Contents).OfType<TextReasoningContent>().Select(r => r.Text));

    [Fact]
    public async Task A_streamed_reply_with_only_a_closing_think_tag_is_reasoning_up_to_it()
    {
        // The template ended the prompt with "<think>\n"; a server without a reasoning parser streams the rest, tag split across chunks.
        string body = Chunk("""{"role":"assistant","content":""}""") + Chunk(Text("Okay, 2 and 2")) + Chunk(Text(" make 4.\n</th")) + Chunk(Text("ink>\n\nThe answer")) + Chunk(Text(" is 4.")) + Chunk("{}", "stop") + "data: [DONE]\n\n";
        await using var server = await ReplayServer.StartAsync(ReplayResponse.Sse(body));
        using var client = Vllm(server);

        var updates = await CollectAsync(client);

        Assert.Equal("Okay, 2 and 2 make 4.\n", Reasoning(updates));
        Assert.Equal("The answer is 4.", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(ChatFinishReason.Stop, updates.ToChatResponse().FinishReason);
    }

    [Fact]
    public async Task A_non_streamed_reply_with_only_a_closing_think_tag_is_reasoning_up_to_it()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.Json(200, Completion("Okay, 2 and 2 make 4.\n</think>\n\nThe answer is 4.")));
        using var client = Vllm(server);

        var response = await client.GetResponseAsync("What is 2+2?", cancellationToken: TestContext.Current.CancellationToken);

        var contents = Assert.Single(response.Messages).Contents;
        Assert.Equal("Okay, 2 and 2 make 4.\n", Assert.IsType<TextReasoningContent>(contents[0]).Text);
        Assert.Equal("The answer is 4.", Assert.IsType<TextContent>(contents[1]).Text);
    }

    [Fact]
    public async Task A_streamed_reply_cut_inside_a_think_block_opened_in_the_prompt_is_all_reasoning()
    {
        string body = Chunk(Text("Let me think about")) + Chunk(Text(" this carefully")) + Chunk("{}", "length") + "data: [DONE]\n\n";
        await using var server = await ReplayServer.StartAsync(ReplayResponse.Sse(body));
        using var client = Vllm(server);

        var updates = await CollectAsync(client);

        Assert.Equal("Let me think about this carefully", Reasoning(updates));
        Assert.Equal(string.Empty, string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(ChatFinishReason.Length, updates.ToChatResponse().FinishReason);
    }

    [Fact]
    public async Task Text_after_reasoning_in_its_own_field_is_the_answer_even_for_a_model_whose_template_opens_the_block()
    {
        string body = Chunk("""{"reasoning":"2 and 2."}""") + Chunk(Text("The answer")) + Chunk(Text(" is 4.")) + Chunk("{}", "stop") + "data: [DONE]\n\n";
        await using var server = await ReplayServer.StartAsync(ReplayResponse.Sse(body), ReplayResponse.Json(200, Completion("The answer is 4.", reasoning: "2 and 2.")));
        using var client = Vllm(server);

        var updates = await CollectAsync(client);
        Assert.Equal("2 and 2.", Reasoning(updates));
        Assert.Equal("The answer is 4.", string.Concat(updates.Select(u => u.Text)));

        var response = await client.GetResponseAsync("What is 2+2?", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("The answer is 4.", response.Text);
    }

    [Fact]
    public async Task With_thinking_switched_off_or_another_model_a_reply_without_tags_is_all_answer()
    {
        string body = Chunk(Text("The answer")) + Chunk(Text(" is 4.")) + Chunk("{}", "stop") + "data: [DONE]\n\n";
        await using var server = await ReplayServer.StartAsync(ReplayResponse.Sse(body), ReplayResponse.Sse(body.Replace(R1Distill, "Qwen/Qwen2.5-7B-Instruct", StringComparison.Ordinal)));

        using (var client = Vllm(server))
        {
            var off = await CollectAsync(client, new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.None } });
            Assert.Equal("The answer is 4.", string.Concat(off.Select(u => u.Text)));
            Assert.Equal(string.Empty, Reasoning(off));
        }

        using (var client = Vllm(server, "Qwen/Qwen2.5-7B-Instruct"))
        {
            var other = await CollectAsync(client);
            Assert.Equal("The answer is 4.", string.Concat(other.Select(u => u.Text)));
        }
    }

    [Fact]
    public async Task Hosted_Qwen_which_always_separates_reasoning_never_reads_its_answer_as_reasoning()
    {
        string body = Chunk(Text("The answer"), model: "qwen3.6-plus") + Chunk(Text(" is 4."), model: "qwen3.6-plus") + Chunk("{}", "stop", model: "qwen3.6-plus") + "data: [DONE]\n\n";
        await using var server = await ReplayServer.StartAsync(ReplayResponse.Sse(body));
        using var client = new QwenChatClient(new Uri(server.BaseAddress, "compatible-mode/v1"), "qwen3.6-plus", options: new() { ApiKey = "sk-test" });

        var updates = await CollectAsync(client);

        Assert.Equal("The answer is 4.", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(string.Empty, Reasoning(updates));
    }

    [Fact]
    public async Task DONE_after_chunks_without_any_finish_reason_is_a_stop()
    {
        string body = Chunk(Text("Hello"), model: "m") + Chunk(Text(" there"), model: "m") + "data: [DONE]\n\n";
        await using var server = await ReplayServer.StartAsync(ReplayResponse.Sse(body));
        using var client = Vllm(server, "m");

        var response = (await CollectAsync(client)).ToChatResponse();

        Assert.Equal("Hello there", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
    }

    [Fact]
    public async Task Interleaved_choices_of_n_2_stay_apart_as_two_messages()
    {
        string body = Chunk(Text("A1"), index: 0, model: "m") + Chunk(Text("B1"), index: 1, model: "m") + Chunk(Text(" A2"), index: 0, model: "m")
            + Chunk(Text(" B2"), index: 1, model: "m") + Chunk("{}", "stop", index: 1, model: "m") + Chunk("{}", "length", index: 0, model: "m") + "data: [DONE]\n\n";
        await using var server = await ReplayServer.StartAsync(ReplayResponse.Sse(body));
        using var client = Vllm(server, "m");

        var updates = await CollectAsync(client, new ChatOptions { AdditionalProperties = new() { ["n"] = 2 } });

        // Each choice is told apart by its MessageId (ToChatResponse starts a new message at every change of id, so group first).
        var choices = updates.Where(u => u.Contents.Count > 0 || u.FinishReason is not null).GroupBy(u => u.MessageId).ToList();
        Assert.Equal(2, choices.Count);
        Assert.Equal(["A1 A2", "B1 B2"], choices.Select(g => string.Concat(g.Select(u => u.Text))));
        Assert.Equal([ChatFinishReason.Length, ChatFinishReason.Stop], choices.Select(g => g.Last(u => u.FinishReason is not null).FinishReason));
        Assert.Equal(2, (int)server.Requests[0].BodyJson!["n"]!);
    }

    [Fact]
    public async Task RequireSpecific_on_llama_cpp_is_sent_as_required_over_only_that_tool()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.Json(200, Completion("x", "m")), ReplayResponse.Json(200, Completion("x", "m")));
        var weather = AIFunctionFactory.CreateDeclaration("get_weather", "Weather", JsonElement.Parse("""{"type":"object","properties":{}}"""));
        var time = AIFunctionFactory.CreateDeclaration("get_time", "Time", JsonElement.Parse("""{"type":"object","properties":{}}"""));
        var options = new ChatOptions { Tools = [weather, time], ToolMode = ChatToolMode.RequireSpecific("get_time") };

        using (var llama = new LlamaCppChatClient(server.BaseAddress))
        {
            await llama.GetResponseAsync("What time is it?", options, TestContext.Current.CancellationToken);
        }

        using (var vllm = Vllm(server, "m"))
        {
            await vllm.GetResponseAsync("What time is it?", options, TestContext.Current.CancellationToken);
        }

        var llamaBody = server.Requests[0].BodyJson!;
        Assert.Equal("required", (string?)llamaBody["tool_choice"]);
        Assert.Equal(["get_time"], llamaBody["tools"]!.AsArray().Select(t => (string?)t!["function"]!["name"]));

        var vllmBody = server.Requests[1].BodyJson!;
        Assert.Equal("get_time", (string?)vllmBody["tool_choice"]!["function"]!["name"]);
        Assert.Equal(2, vllmBody["tools"]!.AsArray().Count);
    }

    [Fact]
    public async Task RequireSpecific_naming_a_tool_that_is_not_offered_fails_before_sending()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.Json(200, Completion("x", "m")));
        var weather = AIFunctionFactory.CreateDeclaration("get_weather", "Weather", JsonElement.Parse("""{"type":"object","properties":{}}"""));
        using var llama = new LlamaCppChatClient(server.BaseAddress);

        var e = await Assert.ThrowsAsync<ArgumentException>(() => llama.GetResponseAsync("hi", new ChatOptions { Tools = [weather], ToolMode = ChatToolMode.RequireSpecific("get_time") }, TestContext.Current.CancellationToken));

        Assert.Contains("get_time", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task A_retired_DeepSeek_id_is_warned_about_once_naming_its_replacement()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.Json(200, Completion("x", "deepseek-chat")), ReplayResponse.Json(200, Completion("x", "deepseek-chat")));
        using var logs = new CapturingLoggerFactory();
        using var client = new DeepSeekChatClient(server.BaseAddress, "deepseek-chat", options: new() { ApiKey = "sk-test", LoggerFactory = logs });

        await client.GetResponseAsync("hi", cancellationToken: TestContext.Current.CancellationToken);
        await client.GetResponseAsync("hi", cancellationToken: TestContext.Current.CancellationToken);

        var warning = Assert.Single(logs.Warnings, w => w.Contains("deepseek-chat", StringComparison.Ordinal));
        Assert.Contains(DeepSeekModels.Flash, warning, StringComparison.Ordinal);
    }
}
