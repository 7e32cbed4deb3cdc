using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using OpenModelClient.Tests.Infrastructure;
using static OpenModelClient.Tests.Ollama.OllamaTestSupport;

using OpenModelClient.Tests.TestDoubles;

namespace OpenModelClient.Tests.Ollama;

/// <summary>Request-shape tests: what <see cref="OllamaChatClient"/> puts on the wire, compared with <c>JsonNode.DeepEquals</c>.</summary>
public sealed class OllamaChatClientRequestTests
{
    private static readonly ChatMessage[] Question = [new(ChatRole.User, "What is 2+2?")];

    [Fact]
    public async Task ChatOptions_AreMappedToNativeFields()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("chat-nonstream-thinking"));
        using var client = ChatClient(server, "qwen3");
        var schema = JsonElement.Parse("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""");
        var tool = AIFunctionFactory.Create((string city) => "22°C", "get_weather", "Gets the weather");
        var options = new ChatOptions
        {
            ModelId = "qwen3:8b",
            Instructions = "Be brief.",
            Temperature = 0.2f,
            TopP = 0.9f,
            TopK = 20,
            Seed = 42,
            MaxOutputTokens = 256,
            StopSequences = ["\n\n"],
            FrequencyPenalty = 0.5f,
            PresencePenalty = 0.25f,
            ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, "weather"),
            Tools = [tool],
            ToolMode = ChatToolMode.Auto,
            Reasoning = new ReasoningOptions { Effort = ReasoningEffort.None },
        };

        await client.GetResponseAsync(Question, options, Ct);

        var expected = JsonNode.Parse("""
            {
              "model": "qwen3:8b",
              "messages": [
                {"role": "system", "content": "Be brief."},
                {"role": "user", "content": "What is 2+2?"}
              ],
              "stream": false,
              "format": {"type":"object","properties":{"city":{"type":"string"}},"required":["city"]},
              "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Gets the weather", "parameters": null}}],
              "options": {"temperature": 0.2, "top_p": 0.9, "top_k": 20, "seed": 42, "num_predict": 256, "frequency_penalty": 0.5, "presence_penalty": 0.25, "stop": ["\n\n"]},
              "think": false
            }
            """)!;
        expected["tools"]![0]!["function"]!["parameters"] = JsonNode.Parse(tool.JsonSchema.GetRawText());
        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/api/chat", request.PathAndQuery);
        JsonAssert.Equal(expected, request.BodyJson);
        Assert.False(request.BodyJson!.AsObject().ContainsKey("tool_choice"));
    }

    [Fact]
    public async Task ClientDefaults_RequestSettings_PassthroughAndRawFactory_ApplyInPrecedenceOrder()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("chat-stream-text"));
        var clientOptions = new OllamaChatClientOptions
        {
            KeepAlive = TimeSpan.FromMinutes(10),
            Think = OllamaThinkMode.Disabled,
            ModelOptions = new OllamaModelOptions { NumCtx = 8192, Temperature = 0.7f, NumThread = 4, UseMmap = false },
        };
        using var client = ChatClient(server, "qwen3", clientOptions);
        var options = new ChatOptions
        {
            Temperature = 0.1f,
            AdditionalProperties = new()
            {
                [OllamaRequestSettings.AdditionalPropertiesKey] = new OllamaRequestSettings
                {
                    KeepAlive = TimeSpan.FromSeconds(90),
                    ModelOptions = new OllamaModelOptions { NumCtx = 16384, RepeatPenalty = 1.1f },
                    Truncate = false,
                    Shift = false,
                },
                ["options"] = new JsonObject { ["min_p"] = 0.05 },
                ["strictJsonSchema"] = true,
            },
            RawRepresentationFactory = _ => new JsonObject { ["keep_alive"] = "1h" },
        };

        await client.GetStreamingResponseAsync(Question, options, Ct).ToListAsync(Ct);

        JsonAssert.Equal(
            """
            {
              "model": "qwen3",
              "messages": [{"role": "user", "content": "What is 2+2?"}],
              "stream": true,
              "options": {"num_ctx": 16384, "temperature": 0.1, "num_thread": 4, "use_mmap": false, "repeat_penalty": 1.1, "min_p": 0.05},
              "think": false,
              "keep_alive": "1h",
              "truncate": false,
              "shift": false
            }
            """,
            server.Requests[0].BodyJson);
    }

    [Fact]
    public async Task RequestSettingsFromRawFactory_OverrideTheClientAndTheReasoningMapping()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("chat-nonstream-thinking"));
        using var client = ChatClient(server, "qwen3", new OllamaChatClientOptions { KeepAlive = TimeSpan.FromMinutes(10) });
        var options = new ChatOptions
        {
            Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Low },
            RawRepresentationFactory = _ => new OllamaRequestSettings { Think = OllamaThinkMode.Max, KeepAlive = Timeout.InfiniteTimeSpan, ModelOptions = new() { NumPredict = -1 } },
        };

        await client.GetResponseAsync(Question, options, Ct);

        var body = server.Requests[0].BodyJson!;
        Assert.Equal("max", body["think"]!.GetValue<string>());
        Assert.Equal(-1, body["keep_alive"]!.GetValue<int>());
        JsonAssert.Equal("""{"num_predict":-1}""", body["options"]);
    }

    [Fact]
    public async Task ClientOptions_AreReadOnceAtConstruction()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("chat-nonstream-thinking"));
        var clientOptions = new OllamaChatClientOptions { ModelOptions = new() { NumCtx = 4096 }, KeepAlive = TimeSpan.FromMinutes(5) };
        using var client = ChatClient(server, "qwen3", clientOptions);
        clientOptions.ModelOptions.NumCtx = 1;
        clientOptions.KeepAlive = null;
        clientOptions.Think = OllamaThinkMode.Enabled;

        await client.GetResponseAsync(Question, cancellationToken: Ct);

        var body = server.Requests[0].BodyJson!.AsObject();
        JsonAssert.Equal("""{"num_ctx":4096}""", body["options"]);
        Assert.Equal("5m", body["keep_alive"]!.GetValue<string>());
        Assert.False(body.ContainsKey("think"));
    }

    [Fact]
    public async Task History_WithImagesThinkingToolCallsAndResults_MapsToNativeMessages()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("chat-nonstream-thinking"));
        using var client = ChatClient(server);
        ChatMessage[] history =
        [
            new(ChatRole.System, "You are terse."),
            new(ChatRole.User, [new TextContent("What is in this image?"), new DataContent(new byte[] { 1, 2, 3 }, "image/png")]),
            new(ChatRole.Assistant, [new TextReasoningContent("Looks like a cat."), new TextContent("A cat.")]),
            new(ChatRole.User, "Weather in Tokyo?"),
            new(ChatRole.Assistant, [new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Tokyo", ["days"] = 2 })]),
            new(ChatRole.Tool, [new FunctionResultContent("call_1", "22°C")]),
        ];

        await client.GetResponseAsync(history, cancellationToken: Ct);

        JsonAssert.Equal(
            """
            [
              {"role": "system", "content": "You are terse."},
              {"role": "user", "content": "What is in this image?", "images": ["AQID"]},
              {"role": "assistant", "content": "A cat.", "thinking": "Looks like a cat."},
              {"role": "user", "content": "Weather in Tokyo?"},
              {"role": "assistant", "content": "", "tool_calls": [{"id": "call_1", "function": {"index": 0, "name": "get_weather", "arguments": {"city": "Tokyo", "days": 2}}}]},
              {"role": "tool", "content": "22°C", "tool_name": "get_weather", "tool_call_id": "call_1"}
            ]
            """,
            server.Requests[0].BodyJson!["messages"]);
    }

    [Fact]
    public async Task ImageByUrl_IsRejectedBeforeSending()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("chat-nonstream-thinking"));
        using var client = ChatClient(server);
        ChatMessage[] messages = [new(ChatRole.User, [new TextContent("Describe"), new UriContent("https://example.com/cat.png", "image/png")])];

        var e = await Assert.ThrowsAsync<NotSupportedException>(() => client.GetResponseAsync(messages, cancellationToken: Ct));

        Assert.Contains("base64", e.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

    [Theory]
    [InlineData("qwen3", ReasoningEffort.None, "false")]
    [InlineData("qwen3", ReasoningEffort.Low, "true")]
    [InlineData("qwen3", ReasoningEffort.Medium, "true")]
    [InlineData("qwen3", ReasoningEffort.ExtraHigh, "true")]
    [InlineData("gpt-oss:20b", ReasoningEffort.None, "false")]
    [InlineData("gpt-oss:20b", ReasoningEffort.Low, "\"low\"")]
    [InlineData("gpt-oss:20b", ReasoningEffort.Medium, "\"medium\"")]
    [InlineData("gpt-oss:20b", ReasoningEffort.High, "\"high\"")]
    [InlineData("gpt-oss:20b", ReasoningEffort.ExtraHigh, "\"high\"")]
    [InlineData("library/GPT-OSS:120b", ReasoningEffort.Low, "\"low\"")]
    public async Task ReasoningEffort_MapsToThink(string model, ReasoningEffort effort, string expectedThink)
    {
        // gpt-oss with ExtraHigh asks /api/version first (nothing answers it here: an unknown version keeps "high").
        await using var server = await ReplayServer.StartAsync(Fixture("chat-nonstream-thinking").ForRequest("POST", "/api/chat"));
        using var client = ChatClient(server, model);

        await client.GetResponseAsync(Question, new ChatOptions { Reasoning = new ReasoningOptions { Effort = effort } }, Ct);

        JsonAssert.Equal(expectedThink, server.Requests.Single(r => r.PathAndQuery == "/api/chat").BodyJson!["think"]);
    }

    [Fact]
    public async Task ThinkLevelModels_CanBeExtended()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("chat-nonstream-thinking"));
        using var client = ChatClient(server, "my-reasoner:7b", new OllamaChatClientOptions { ThinkLevelModels = ["gpt-oss", "my-reasoner"] });

        await client.GetResponseAsync(Question, new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Low } }, Ct);

        Assert.Equal("low", server.Requests[0].BodyJson!["think"]!.GetValue<string>());
    }

    [Fact]
    public async Task NoReasoningAndNoDefault_SendsNoThink()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("chat-nonstream-thinking"));
        using var client = ChatClient(server);

        await client.GetResponseAsync(Question, new ChatOptions { Temperature = 0.5f }, Ct);

        var body = server.Requests[0].BodyJson!.AsObject();
        Assert.False(body.ContainsKey("think"));
        Assert.False(body.ContainsKey("keep_alive"));
        Assert.False(body.ContainsKey("format"));
        Assert.False(body.ContainsKey("tools"));
    }

    [Fact]
    public async Task ToolModeNone_DoesNotOfferTheTools()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("chat-nonstream-thinking"));
        using var client = ChatClient(server);
        var tool = AIFunctionFactory.Create((string city) => "22°C", "get_weather");

        await client.GetResponseAsync(Question, new ChatOptions { Tools = [tool], ToolMode = ChatToolMode.None }, Ct);

        var body = server.Requests[0].BodyJson!.AsObject();
        Assert.False(body.ContainsKey("tools"));
        Assert.False(body.ContainsKey("tool_choice"));
    }

    [Fact]
    public async Task ToolModeRequired_SendsTheToolsWithoutFakingToolChoice_AndWarns()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("chat-nonstream-thinking"));
        var logs = new CapturingLoggerFactory();
        using var client = ChatClient(server, "qwen3", new OllamaChatClientOptions { LoggerFactory = logs });
        var tool = AIFunctionFactory.Create((string city) => "22°C", "get_weather");

        await client.GetResponseAsync(Question, new ChatOptions { Tools = [tool], ToolMode = ChatToolMode.RequireSpecific("get_weather") }, Ct);

        var body = server.Requests[0].BodyJson!.AsObject();
        Assert.Equal("get_weather", body["tools"]![0]!["function"]!["name"]!.GetValue<string>());
        Assert.False(body.ContainsKey("tool_choice"));
        Assert.Equal(1, body.Count(p => p.Key.Contains("tool", StringComparison.Ordinal)));
        var warning = Assert.Single(logs.Entries);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("RequireSpecific(get_weather)", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UseFunctionInvocation_ToolCallThenResultThenFinalAnswer(bool streaming)
    {
        await using var server = await ReplayServer.StartAsync(
            Fixture(streaming ? "chat-stream-tool-call" : "chat-nonstream-tool-call"),
            Fixture(streaming ? "chat-stream-final-answer-after-tool" : "chat-nonstream-final-answer-after-tool"));
        var invoked = new List<string>();
        var tool = AIFunctionFactory.Create(
            (string city) =>
            {
                invoked.Add(city);
                return "22°C";
            },
            "get_weather",
            "Gets the weather");
        using var client = ChatClient(server).AsBuilder().UseFunctionInvocation().Build();
        ChatMessage[] question = [new(ChatRole.User, "Weather in Tokyo?")];
        var options = new ChatOptions { Tools = [tool] };

        var response = streaming
            ? await client.GetStreamingResponseAsync(question, options, Ct).ToChatResponseAsync(Ct)
            : await client.GetResponseAsync(question, options, Ct);

        Assert.Equal(["Tokyo"], invoked);
        Assert.EndsWith("It is 22°C in Tokyo.", response.Text, StringComparison.Ordinal);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(2, server.Requests.Count);
        JsonAssert.Equal(
            """
            [
              {"role": "user", "content": "Weather in Tokyo?"},
              {"role": "assistant", "content": "", "tool_calls": [{"id": "call_k3x9a0b2", "function": {"index": 0, "name": "get_weather", "arguments": {"city": "Tokyo"}}}]},
              {"role": "tool", "content": "22°C", "tool_name": "get_weather", "tool_call_id": "call_k3x9a0b2"}
            ]
            """,
            server.Requests[1].BodyJson!["messages"]);
        Assert.NotNull(server.Requests[1].BodyJson!["tools"]);
    }
}
