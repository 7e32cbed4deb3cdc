using Microsoft.Extensions.AI;
using OpenModelClient.Tests.Infrastructure;
using OpenModelClient.Tests.TestDoubles;
using static OpenModelClient.Tests.TestDoubles.Hosted;

namespace OpenModelClient.Tests.OpenAICompatible;

/// <summary>Presets for vLLM, SGLang, LM Studio and Ollama's /v1, and vLLM's wire shapes (Fixtures/vllm).</summary>
public class OpenAICompatiblePresetTests
{
    private static OpenAICompatibleChatClient Client(ReplayServer server, OpenAICompatiblePreset preset, string? model = "Qwen/Qwen3-8B", CapturingLoggerFactory? logs = null, Action<OpenAICompatibleClientOptions>? configure = null)
    {
        var options = new OpenAICompatibleClientOptions { Preset = preset, LoggerFactory = logs };
        configure?.Invoke(options);
        return new OpenAICompatibleChatClient(new Uri(server.BaseAddress, "v1"), model, null, options);
    }

    private static ChatOptions Effort(ReasoningEffort effort) => new() { Reasoning = new ReasoningOptions { Effort = effort } };

    [Theory]
    [InlineData(OpenAICompatiblePreset.Vllm, "http://localhost:8000/v1/", "vllm")]
    [InlineData(OpenAICompatiblePreset.SGLang, "http://localhost:30000/v1/", "sglang")]
    [InlineData(OpenAICompatiblePreset.LMStudio, "http://localhost:1234/v1/", "lmstudio")]
    [InlineData(OpenAICompatiblePreset.Ollama, "http://localhost:11434/v1/", "ollama")]
    public void Presets_default_to_the_servers_local_address_and_name(OpenAICompatiblePreset preset, string endpoint, string provider)
    {
        using var client = new OpenAICompatibleChatClient(null, "m", options: new OpenAICompatibleClientOptions { Preset = preset });
        var metadata = client.GetService<ChatClientMetadata>()!;
        Assert.Equal(new Uri(endpoint), metadata.ProviderUri);
        Assert.Equal(provider, metadata.ProviderName);
    }

    [Fact]
    public void The_generic_preset_needs_an_endpoint_and_keeps_it_as_given()
    {
        Assert.Throws<ArgumentNullException>(() => new OpenAICompatibleChatClient(null));
        using var generic = new OpenAICompatibleChatClient(new Uri("http://proxy:9000"));
        Assert.Equal(new Uri("http://proxy:9000/"), generic.GetService<ChatClientMetadata>()!.ProviderUri);
        Assert.Equal("openai-compatible", generic.GetService<ChatClientMetadata>()!.ProviderName);
        Assert.Throws<ArgumentException>(() => new OpenAICompatibleChatClient(new Uri("http://x/v1"), options: new OpenAICompatibleClientOptions { Preset = (OpenAICompatiblePreset)99 }));
    }

    [Fact]
    public async Task A_bare_server_root_gains_v1_for_a_named_preset()
    {
        await using var server = await ReplayServer.StartAsync(Answer());
        using var client = new OpenAICompatibleChatClient(server.BaseAddress, "m", null, new OpenAICompatibleClientOptions { Preset = OpenAICompatiblePreset.Ollama });
        await client.GetResponseAsync("Hi", cancellationToken: Ct);
        Assert.Equal("/v1/chat/completions", Assert.Single(server.Requests).PathAndQuery);
    }

    [Fact]
    public async Task Vllm_streams_reasoning_from_the_reasoning_field_skips_keep_alives_and_reports_usage()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("vllm", "chat-reasoning-stream"));
        using var client = Client(server, OpenAICompatiblePreset.Vllm);

        var updates = await CollectAsync(client.GetStreamingResponseAsync("Hello", cancellationToken: Ct));

        Assert.Equal("The user greets me. Reply politely.", ReasoningText(updates));
        Assert.Equal("Hello! How can I help?", string.Concat(updates.Select(u => u.Text)));
        Assert.All(updates.SelectMany(u => u.Contents).OfType<TextReasoningContent>(), r => Assert.Equal("vllm", ReasoningProvenance.GetProvider(r)));
        var usage = Assert.Single(updates.SelectMany(u => u.Contents).OfType<UsageContent>()).Details;
        Assert.Equal(14, usage.InputTokenCount);
        Assert.Equal(26, usage.OutputTokenCount);
        JsonAssert.Equal("""{"stream":true,"stream_options":{"include_usage":true}}""", Extras(Assert.Single(server.Requests)));
    }

    [Fact]
    public async Task Vllm_non_streamed_reasoning_and_history_use_the_reasoning_field()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("vllm", "chat-reasoning-nonstream"), Answer());
        using var client = Client(server, OpenAICompatiblePreset.Vllm);
        List<ChatMessage> history = [new(ChatRole.User, "Hello")];

        var first = await client.GetResponseAsync(history, cancellationToken: Ct);
        history.AddRange(first.Messages);
        history.Add(new ChatMessage(ChatRole.User, "And again?"));
        await client.GetResponseAsync(history, cancellationToken: Ct);

        Assert.Equal("The user greets me. Reply politely.", ReasoningText(first));
        Assert.Equal("Hello! How can I help?", first.Text);
        JsonAssert.Equal("""{"role":"assistant","content":"Hello! How can I help?","reasoning":"The user greets me. Reply politely."}""", Messages(server.Requests[1])[1]);
    }

    [Fact]
    public async Task Vllm_tool_call_fragments_assemble()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("vllm", "chat-tool-call-stream"));
        using var client = Client(server, OpenAICompatiblePreset.Vllm);

        var response = await client.GetStreamingResponseAsync("Weather in Tokyo?", new ChatOptions { Tools = [GetWeather] }, Ct).ToChatResponseAsync(Ct);

        var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("chatcmpl-tool-4e5f6a7b8c9d0e1f", call.CallId);
        Assert.Equal("Tokyo", call.Arguments!["city"]!.ToString());
        Assert.Equal("celsius", call.Arguments!["unit"]!.ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        Assert.Equal("Need the weather tool.", ReasoningText(response));
    }

    [Theory]
    [InlineData(OpenAICompatiblePreset.Vllm, "Qwen/Qwen3-8B", """{"chat_template_kwargs":{"enable_thinking":false}}""")]
    [InlineData(OpenAICompatiblePreset.Vllm, "deepseek-ai/DeepSeek-V3.1", """{"chat_template_kwargs":{"thinking":false}}""")]
    [InlineData(OpenAICompatiblePreset.Vllm, "ibm-granite/granite-3.3-8b-instruct", """{"chat_template_kwargs":{"thinking":false}}""")]
    [InlineData(OpenAICompatiblePreset.SGLang, "Qwen/Qwen3-32B", """{"chat_template_kwargs":{"enable_thinking":false}}""")]
    [InlineData(OpenAICompatiblePreset.SGLang, "deepseek-ai/DeepSeek-V3.2", """{"chat_template_kwargs":{"thinking":false}}""")]
    [InlineData(OpenAICompatiblePreset.Generic, "deepseek-v3.1", """{"chat_template_kwargs":{"thinking":false}}""")]
    [InlineData(OpenAICompatiblePreset.Ollama, "deepseek-r1:8b", "{}")]
    public async Task Thinking_off_uses_the_switch_the_models_template_reads(OpenAICompatiblePreset preset, string model, string expected)
    {
        await using var server = await ReplayServer.StartAsync(Answer());
        using var client = Client(server, preset, model);
        await client.GetResponseAsync("Hi", Effort(ReasoningEffort.None), Ct);
        JsonAssert.Equal(expected, Extras(Assert.Single(server.Requests)));
    }

    [Theory]
    [InlineData(ReasoningEffort.Low, "low")]
    [InlineData(ReasoningEffort.Medium, "medium")]
    [InlineData(ReasoningEffort.High, "high")]
    [InlineData(ReasoningEffort.ExtraHigh, "high")]
    public async Task Ollama_v1_takes_reasoning_effort_levels(ReasoningEffort effort, string level)
    {
        await using var server = await ReplayServer.StartAsync(Answer());
        using var client = Client(server, OpenAICompatiblePreset.Ollama, "qwen3:4b");
        await client.GetResponseAsync("Hi", Effort(effort), Ct);
        JsonAssert.Equal($$"""{"reasoning_effort":"{{level}}"}""", Extras(Assert.Single(server.Requests)));
    }

    [Fact]
    public async Task Ollama_v1_never_sends_an_effort_word_it_rejects_and_says_thinking_stays_as_the_model_defaults()
    {
        // Ollama answers HTTP 500 to reasoning_effort "none" (and "minimal", "xhigh"): nothing is sent for None, with a warning.
        await using var server = await ReplayServer.StartAsync(Answer());
        using var logs = new CapturingLoggerFactory();
        using var local = new OpenAICompatibleChatClient(new Uri(server.BaseAddress, "v1"), "qwen3:4b", options: new() { Preset = OpenAICompatiblePreset.Ollama, LoggerFactory = logs });

        await local.GetResponseAsync("Hi", Effort(ReasoningEffort.None), Ct);

        Assert.False(Assert.Single(server.Requests).BodyJson!.AsObject().ContainsKey("reasoning_effort"));
        Assert.Contains(logs.Warnings, w => w.Contains("OllamaChatClient", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ollama_v1_reads_and_echoes_the_reasoning_field()
    {
        const string body = """{"id":"chatcmpl-417","object":"chat.completion","created":1795000000,"model":"qwen3:4b","system_fingerprint":"fp_ollama","choices":[{"index":0,"message":{"role":"assistant","content":"Hi!","reasoning":"Greet back."},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":12,"total_tokens":21}}""";
        await using var server = await ReplayServer.StartAsync(ReplayResponse.Json(200, body), Answer());
        using var client = Client(server, OpenAICompatiblePreset.Ollama, "qwen3:4b");
        List<ChatMessage> history = [new(ChatRole.User, "Hello")];

        var first = await client.GetResponseAsync(history, cancellationToken: Ct);
        history.AddRange(first.Messages);
        history.Add(new ChatMessage(ChatRole.User, "Again"));
        await client.GetResponseAsync(history, cancellationToken: Ct);

        Assert.Equal("Greet back.", ReasoningText(first));
        Assert.Equal("ollama", ReasoningProvenance.GetProvider(first.Messages[0].Contents.OfType<TextReasoningContent>().Single()));
        JsonAssert.Equal("""{"role":"assistant","content":"Hi!","reasoning":"Greet back."}""", Messages(server.Requests[1])[1]);
    }

    [Fact]
    public async Task Lm_studio_has_no_switch_so_an_effort_is_dropped_with_a_warning_unless_asked_for()
    {
        await using var server = await ReplayServer.StartAsync(Answer(), Answer());
        var logs = new CapturingLoggerFactory();
        using var plain = Client(server, OpenAICompatiblePreset.LMStudio, "qwen/qwen3-8b", logs);
        using var opted = Client(server, OpenAICompatiblePreset.LMStudio, "qwen/qwen3-8b", configure: o => o.SendReasoningEffort = true);

        await plain.GetResponseAsync("Hi", Effort(ReasoningEffort.Low), Ct);
        await opted.GetResponseAsync("Hi", Effort(ReasoningEffort.Low), Ct);

        JsonAssert.Equal("{}", Extras(server.Requests[0]));
        Assert.Single(logs.Warnings, w => w.Contains("no per-request thinking switch", StringComparison.Ordinal));
        JsonAssert.Equal("""{"chat_template_kwargs":{"enable_thinking":true}}""", Extras(server.Requests[1]));
    }

    [Fact]
    public async Task Options_override_the_preset_stream_options_budget_and_history()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.Sse("data: {\"id\":\"a\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"));
        using var client = Client(server, OpenAICompatiblePreset.Vllm, configure: o =>
        {
            o.IncludeUsageInStream = false;
            o.ThinkingBudgetField = "thinking_token_budget";
            o.SendReasoningInHistory = false;
        });
        ChatMessage[] history = [new(ChatRole.User, "Hi"), new(ChatRole.Assistant, [new TextReasoningContent("hm"), new TextContent("Hello")]), new(ChatRole.User, "More")];

        await CollectAsync(client.GetStreamingResponseAsync(history, Effort(ReasoningEffort.Low), Ct));

        var request = Assert.Single(server.Requests);
        JsonAssert.Equal("""{"stream":true,"chat_template_kwargs":{"enable_thinking":true},"thinking_token_budget":1024}""", Extras(request));
        JsonAssert.Equal("""{"role":"assistant","content":"Hello"}""", Messages(request)[1]);
    }

    [Fact]
    public async Task Vllm_errors_flat_and_nested_and_in_stream_are_typed()
    {
        await using var server = await ReplayServer.StartAsync(
            Fixture("vllm", "error-404-model-flat"),
            Fixture("vllm", "error-400-context-nested"),
            Fixture("vllm", "error-in-stream"));
        using var client = Client(server, OpenAICompatiblePreset.Vllm, "gpt-4");

        var notFound = await Assert.ThrowsAsync<ModelNotFoundException>(() => client.GetResponseAsync("Hi", cancellationToken: Ct));
        var context = await Assert.ThrowsAsync<ContextLengthExceededException>(() => client.GetResponseAsync("Hi", cancellationToken: Ct));
        var (updates, error) = await CollectCapturingAsync(client.GetStreamingResponseAsync("Hi", cancellationToken: Ct));

        Assert.Equal("The model `gpt-4` does not exist.", notFound.ProviderMessage);
        Assert.Equal("vllm", context.Provider);
        Assert.Equal("Partial", string.Concat(updates.Select(u => u.Text)));
        var inStream = Assert.IsType<OpenModelException>(error);
        Assert.Equal(OpenModelErrorKind.ServerError, inStream.Kind);
        Assert.Equal("CUDA out of memory", inStream.ProviderMessage);
    }
}
