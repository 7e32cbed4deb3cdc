using Microsoft.Extensions.AI;
using OpenModelClient.Tests.Infrastructure;
using OpenModelClient.Tests.LlamaCpp;
using OpenModelClient.Tests.Ollama;
using OpenModelClient.Tests.TestDoubles;

namespace OpenModelClient.Tests.Capabilities;

public sealed class ModelCapabilitiesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly ChatMessage[] Hello = [new(ChatRole.User, "hi")];

    [Fact]
    public async Task LlamaCpp_ReadsProps_Once()
    {
        await using var server = await LlamaCppReplay.ServeAsync("props");
        using var client = LlamaCppReplay.Client(server);
        var provider = client.GetService<ModelCapabilitiesProvider>();
        Assert.NotNull(provider);

        var first = await provider.GetCapabilitiesAsync(Ct);
        var second = await provider.GetCapabilitiesAsync(Ct);

        Assert.Same(first, second);
        Assert.Equal(1, server.RequestCount);
        Assert.Equal("/props", Assert.Single(server.Requests).PathAndQuery);
        Assert.True(first.SupportsTools);
        Assert.False(first.SupportsVision);
        Assert.Null(first.SupportsThinking);
        Assert.True(first.SupportsJsonSchema);
        Assert.Equal(2048, first.ContextLength);
        Assert.Equal("llama.cpp /props", first.Source);
    }

    [Fact]
    public async Task LlamaCpp_TemplateWithoutTools_IsKnownFalse()
    {
        await using var server = await LlamaCppReplay.ServeAsync("embeddings-props");
        using var client = LlamaCppReplay.Client(server);
        var caps = await client.GetService<ModelCapabilitiesProvider>()!.GetCapabilitiesAsync(Ct);
        Assert.False(caps.SupportsTools);
    }

    [Fact]
    public async Task Ollama_ReadsShow_ForConfiguredModel()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.FromFixture(OllamaTestSupport.Provider, "show"));
        using var client = OllamaTestSupport.ChatClient(server, "qwen3");
        var caps = await client.GetService<ModelCapabilitiesProvider>()!.GetCapabilitiesAsync(Ct);

        var request = Assert.Single(server.Requests);
        Assert.Equal("/api/show", request.PathAndQuery);
        Assert.Equal("qwen3", (string?)request.BodyJson!["model"]);
        Assert.True(caps.SupportsTools);
        Assert.True(caps.SupportsThinking);
        Assert.False(caps.SupportsVision);
        Assert.Equal(40960, caps.ContextLength);
        Assert.Equal("ollama /api/show", caps.Source);
    }

    [Fact]
    public async Task Ollama_VisionModel()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.FromFixture(OllamaTestSupport.Provider, "show-vision-no-architecture"));
        using var client = OllamaTestSupport.ChatClient(server, "llava");
        var caps = await client.GetService<ModelCapabilitiesProvider>()!.GetCapabilitiesAsync(Ct);
        Assert.True(caps.SupportsVision);
        Assert.False(caps.SupportsTools);
        Assert.False(caps.SupportsThinking);
    }

    [Fact]
    public async Task Hosted_DocumentedTables_AndGenericUnknown()
    {
        using var flash = new DeepSeekChatClient(DeepSeekModels.Flash, options: new DeepSeekChatClientOptions { ApiKey = "k" });
        using var pro = new DeepSeekChatClient(DeepSeekModels.V4Pro, options: new DeepSeekChatClientOptions { ApiKey = "k" });
        using var qwen = new QwenChatClient(QwenRegion.Singapore, "qwen3.8-plus", options: new QwenChatClientOptions { ApiKey = "k" });
        using var qwenOld = new QwenChatClient(QwenRegion.Singapore, "qwen-plus", options: new QwenChatClientOptions { ApiKey = "k" });
        using var generic = new OpenAICompatibleChatClient(new Uri("http://localhost:1/v1/"), "m");

        var f = await flash.GetService<ModelCapabilitiesProvider>()!.GetCapabilitiesAsync(Ct);
        var p = await pro.GetService<ModelCapabilitiesProvider>()!.GetCapabilitiesAsync(Ct);
        Assert.True(f.SupportsVision);
        Assert.False(p.SupportsVision);
        Assert.True(p.SupportsTools);
        Assert.True(p.SupportsThinking);
        Assert.False(p.SupportsJsonSchema);
        Assert.Equal(1_000_000, p.ContextLength);
        Assert.True((await qwen.GetService<ModelCapabilitiesProvider>()!.GetCapabilitiesAsync(Ct)).SupportsJsonSchema);
        Assert.False((await qwenOld.GetService<ModelCapabilitiesProvider>()!.GetCapabilitiesAsync(Ct)).SupportsJsonSchema);
        var g = await generic.GetService<ModelCapabilitiesProvider>()!.GetCapabilitiesAsync(Ct);
        Assert.Null(g.ThinksByDefault);
        Assert.Null(g.SupportsTools);
        Assert.Null(g.SupportsVision);
        Assert.Null(g.ContextLength);
    }

    [Theory]
    [InlineData("qwen3.5-plus", true)]
    [InlineData("qwen3.6-plus", true)]
    [InlineData("qwen3.8-max", true)]
    [InlineData("qwen3-8b", true)]
    [InlineData("qwq-plus", true)]
    [InlineData("qwen3-max", false)]
    [InlineData("qwen3-vl-plus", false)]
    [InlineData("qwen3-omni-flash", false)]
    [InlineData("qwen-plus", false)]
    public async Task Hosted_tables_say_what_unset_reasoning_means_per_Qwen_model_family(string model, bool thinks)
    {
        using var qwen = new QwenChatClient(QwenRegion.Singapore, model, options: new QwenChatClientOptions { ApiKey = "k" });
        Assert.Equal(thinks, (await qwen.GetService<ModelCapabilitiesProvider>()!.GetCapabilitiesAsync(Ct)).ThinksByDefault);
    }

    [Theory]
    [InlineData(DeepSeekModels.Flash, true)]
    [InlineData(DeepSeekModels.V4Pro, true)]
    [InlineData("deepseek-chat", false)]
    [InlineData("deepseek-reasoner", true)]
    public async Task Hosted_tables_say_what_unset_reasoning_means_per_DeepSeek_model(string model, bool thinks)
    {
        using var client = new DeepSeekChatClient(model, options: new DeepSeekChatClientOptions { ApiKey = "k" });
        Assert.Equal(thinks, (await client.GetService<ModelCapabilitiesProvider>()!.GetCapabilitiesAsync(Ct)).ThinksByDefault);
    }

    [Fact]
    public async Task FetchFailure_GivesUnknown_ChatProceedsWithTools_AndALaterCallRetries()
    {
        await using var server = await ReplayServer.StartAsync(
            ReplayResponse.Json(500, """{"error":{"code":500,"message":"boom","type":"server_error"}}"""),
            ReplayResponse.FromFixture(LlamaCppReplay.Provider, "chat-tools-call-nonstream"),
            ReplayResponse.FromFixture(LlamaCppReplay.Provider, "props"));
        var logs = new CapturingLoggerFactory();
        var time = new ManualTimeProvider();
        using var inner = new LlamaCppChatClient(server.BaseAddress, options: new LlamaCppClientOptions { TimeProvider = time });
        using var client = inner.AsBuilder().UseCapabilityGuard(logs).Build();

        await client.GetResponseAsync(Hello, new ChatOptions { Tools = [LlamaCppReplay.GetWeather] }, Ct);

        Assert.NotNull(server.Requests[1].BodyJson!["tools"]);
        Assert.Empty(logs.Warnings);
        time.Advance(TimeSpan.FromSeconds(31));
        var caps = await inner.GetService<ModelCapabilitiesProvider>()!.GetCapabilitiesAsync(Ct);
        Assert.Equal("llama.cpp /props", caps.Source);
    }

    [Fact]
    public async Task FetchFailure_IsNotRetriedForThirtySeconds()
    {
        var time = new ManualTimeProvider();
        int calls = 0;
        var provider = new ModelCapabilitiesProvider(
            _ => ++calls == 1 ? throw new HttpRequestException("down") : Task.FromResult(new ModelCapabilities { SupportsTools = true, Source = "x" }),
            time);

        Assert.Same(ModelCapabilities.Unknown, await provider.GetCapabilitiesAsync(Ct));
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.Same(ModelCapabilities.Unknown, await provider.GetCapabilitiesAsync(Ct));
        Assert.Equal(1, calls);
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.True((await provider.GetCapabilitiesAsync(Ct)).SupportsTools);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task ToolsDropped_WhenTemplateHasNoToolSupport_WithWarning()
    {
        await using var server = await LlamaCppReplay.ServeAsync("embeddings-props", "chat-nonstream-length", "chat-stream");
        var logs = new CapturingLoggerFactory();
        using var client = LlamaCppReplay.Client(server).AsBuilder().UseCapabilityGuard(logs).Build();
        var options = new ChatOptions { Tools = [LlamaCppReplay.GetWeather], ToolMode = ChatToolMode.RequireAny };

        await client.GetResponseAsync(Hello, options, Ct);
        await LlamaCppReplay.CollectAsync(client.GetStreamingResponseAsync(Hello, options, Ct));

        Assert.Equal(3, server.RequestCount); // one /props for both calls
        Assert.Null(server.Requests[1].BodyJson!["tools"]);
        Assert.Null(server.Requests[1].BodyJson!["tool_choice"]);
        Assert.Null(server.Requests[2].BodyJson!["tools"]);
        Assert.Equal(2, logs.Warnings.Count);
        Assert.Contains("does not support tools", logs.Warnings[0], StringComparison.Ordinal);
        Assert.Single(options.Tools); // the caller's options are untouched
        Assert.Equal(ChatToolMode.RequireAny, options.ToolMode);
    }

    [Fact]
    public async Task Ollama_ModelWithoutThinking_ReasoningAndImagesKept_OrDropped_ByProfile()
    {
        await using var server = await ReplayServer.StartAsync(
            ReplayResponse.FromFixture(OllamaTestSupport.Provider, "show-vision-no-architecture"),
            ReplayResponse.FromFixture(OllamaTestSupport.Provider, "chat-nonstream-length-no-metrics"));
        var logs = new CapturingLoggerFactory();
        using var client = OllamaTestSupport.ChatClient(server, "llava").AsBuilder().UseCapabilityGuard(logs).Build();
        ChatMessage[] messages = [new(ChatRole.User, [new TextContent("what is this?"), new DataContent(new byte[] { 1, 2, 3 }, "image/png")])];

        await client.GetResponseAsync(messages, new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.High } }, Ct);

        var chat = server.Requests[1].BodyJson!;
        Assert.Null(chat["think"]);
        Assert.NotNull(chat["messages"]![0]!["images"]); // vision is supported: the image is sent
        Assert.Contains("does not think", Assert.Single(logs.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Guard_DropsImagesAndReasoning_LeavesSchemaToTheClient()
    {
        var caps = new ModelCapabilities { SupportsVision = false, SupportsThinking = false, SupportsJsonSchema = false, Source = "test" };
        var inner = new CapturingClient(new ModelCapabilitiesProvider(caps), "m");
        var logs = new CapturingLoggerFactory();
        using var client = new CapabilityGuardChatClient(inner, logs);
        var image = new DataContent(new byte[] { 1, 2, 3 }, "image/png");
        ChatMessage[] messages = [new(ChatRole.User, [new TextContent("what is this?"), image])];
        var options = new ChatOptions
        {
            Reasoning = new ReasoningOptions { Effort = ReasoningEffort.High },
            ResponseFormat = ChatResponseFormat.ForJsonSchema(System.Text.Json.JsonElement.Parse("""{"type":"object"}"""), "s"),
        };

        await client.GetResponseAsync(messages, options, Ct);

        var sent = Assert.Single(inner.Messages!);
        Assert.IsType<TextContent>(Assert.Single(sent.Contents));
        Assert.Null(inner.Options!.Reasoning);
        var format = Assert.IsType<ChatResponseFormatJson>(inner.Options.ResponseFormat);
        Assert.NotNull(format.Schema); // the client degrades a schema itself (JSON mode + instructions)
        Assert.Equal(2, logs.Warnings.Count);
        Assert.Equal(2, messages[0].Contents.Count); // the caller's message is untouched
        Assert.NotNull(options.Reasoning);
        Assert.NotNull(((ChatResponseFormatJson)options.ResponseFormat).Schema);
    }

    [Fact]
    public async Task Guard_SendsAsIs_WhenUnknownOrAnotherModel()
    {
        var unknown = new CapturingClient(new ModelCapabilitiesProvider(ModelCapabilities.Unknown), "m");
        var logs = new CapturingLoggerFactory();
        using var client = new CapabilityGuardChatClient(unknown, logs);
        var options = new ChatOptions { Tools = [LlamaCppReplay.GetWeather], Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Low } };
        ChatMessage[] messages = [new(ChatRole.User, [new UriContent("https://example.com/a.png", "image/png")])];

        await client.GetResponseAsync(messages, options, Ct);
        Assert.Same(options, unknown.Options);
        Assert.Same(messages, unknown.Messages);

        var known = new CapturingClient(new ModelCapabilitiesProvider(new ModelCapabilities { SupportsTools = false, SupportsVision = false }), "m");
        using var other = new CapabilityGuardChatClient(known, logs);
        var otherModel = new ChatOptions { ModelId = "another", Tools = [LlamaCppReplay.GetWeather] };
        await other.GetResponseAsync(messages, otherModel, Ct);
        Assert.Same(otherModel, known.Options);
        Assert.Same(messages, known.Messages);
        Assert.Empty(logs.Warnings);
    }

    [Fact]
    public async Task Provider_ConcurrentCallers_ShareOneFetch()
    {
        int calls = 0;
        var gate = new TaskCompletionSource();
        var provider = new ModelCapabilitiesProvider(async _ =>
        {
            Interlocked.Increment(ref calls);
            await gate.Task;
            return new ModelCapabilities { SupportsTools = true, Source = "x" };
        });

        var a = provider.GetCapabilitiesAsync(Ct);
        var b = provider.GetCapabilitiesAsync(Ct);
        gate.SetResult();
        Assert.Same(await a, await b);
        Assert.Equal(1, calls);
    }

    private sealed class ManualTimeProvider : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }

    private sealed class CapturingClient(ModelCapabilitiesProvider provider, string model) : IChatClient
    {
        public IEnumerable<ChatMessage>? Messages { get; private set; }

        public ChatOptions? Options { get; private set; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Messages = messages;
            Options = options;
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok")));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceKey is not null ? null :
            serviceType == typeof(ModelCapabilitiesProvider) ? provider :
            serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("test", null, model) :
            null;

        public void Dispose()
        {
        }
    }
}
