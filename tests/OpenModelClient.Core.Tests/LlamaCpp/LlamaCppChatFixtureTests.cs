using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenModelClient.Tests.Infrastructure;
using static OpenModelClient.Tests.LlamaCpp.LlamaCppReplay;

namespace OpenModelClient.Tests.LlamaCpp;

/// <summary>One test per recorded chat scenario: the request the client sends, and the exact objects that come out.</summary>
public class LlamaCppChatFixtureTests
{
    private static readonly ChatMessage[] HelloConversation =
    [
        new(ChatRole.System, "You are a helpful assistant."),
        new(ChatRole.User, "Say hello in one short sentence."),
    ];

    private static ChatMessage[] WeatherPrefilled => [new(ChatRole.User, "What is the weather in Paris?"), new(ChatRole.Assistant, "<tool_call>\n")];

    [Fact]
    public async Task chat_nonstream_length()
    {
        await using var server = await ServeAsync("chat-nonstream-length");
        using var client = Client(server);

        var response = await client.GetResponseAsync(HelloConversation, new ChatOptions { ModelId = "tiny", MaxOutputTokens = 8, Seed = 42 }, TestContext.Current.CancellationToken);

        AssertSentFixtureRequest(server, "chat-nonstream-length");
        var message = Assert.Single(response.Messages);
        Assert.Equal(ChatRole.Assistant, message.Role);
        Assert.Equal("(@\" uint edge Backgroundatlea Eclipsecept", Assert.IsType<TextContent>(Assert.Single(message.Contents)).Text);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal("chatcmpl-ZGLjdNLFle2Ip3Ebq9R6H8TE724ea3Cl", response.ResponseId);
        Assert.Equal(response.ResponseId, message.MessageId);
        Assert.Equal(TinyQwen, response.ModelId);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1795464160), response.CreatedAt);
        AssertUsage(response.Usage, 29, 8, 37, 0);
        var counts = response.Usage!.AdditionalCounts!;
        Assert.Equal(29, counts[UsageCountKeys.PromptEvalTokens]);
        Assert.Equal(984_000, counts[UsageCountKeys.PromptEvalDurationNs]);
        Assert.Equal(6_918_000, counts[UsageCountKeys.EvalDurationNs]);
        Assert.Equal(1156, counts[UsageCountKeys.OutputTokensPerSecond]);
        Assert.IsType<ChatCompletionResponse>(response.RawRepresentation);
    }

    [Fact]
    public async Task chat_stream()
    {
        await using var server = await ServeAsync("chat-stream");
        using var client = Client(server, includeUsage: false);

        var updates = await CollectAsync(client.GetStreamingResponseAsync(HelloConversation, new ChatOptions { ModelId = "tiny", MaxOutputTokens = 8, Seed = 42 }, TestContext.Current.CancellationToken));

        AssertSentFixtureRequest(server, "chat-stream");
        Assert.Equal(["(@\"", " uint", " edge", " Background", "at", "lea", " Eclipse", "cept"], updates.Where(u => u.Contents.OfType<TextContent>().Any()).Select(u => u.Text));
        Assert.All(updates, u => Assert.Equal("chatcmpl-GfFcxZUS9TuUB14FYkeHWeMVshg6Tvu7", u.ResponseId));
        Assert.All(updates, u => Assert.Equal(ChatRole.Assistant, u.Role));
        Assert.All(updates, u => Assert.Equal(TinyQwen, u.ModelId));
        Assert.Equal(ChatFinishReason.Length, Assert.Single(updates, u => u.FinishReason is not null).FinishReason);

        // No usage chunk without include_usage: the figures come from the finish chunk's timings.
        var usage = Assert.Single(updates.SelectMany(u => u.Contents).OfType<UsageContent>()).Details;
        AssertUsage(usage, 29, 8, 37, 28);
        Assert.Equal(1, usage.AdditionalCounts![UsageCountKeys.PromptEvalTokens]);

        var response = updates.ToChatResponse();
        Assert.Equal("(@\" uint edge Backgroundatlea Eclipsecept", response.Text);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1795464160), response.CreatedAt);
    }

    [Fact]
    public async Task chat_stream_include_usage()
    {
        await using var server = await ServeAsync("chat-stream-include-usage");
        using var client = Client(server);

        var updates = await CollectAsync(client.GetStreamingResponseAsync(HelloConversation, new ChatOptions { ModelId = "tiny", MaxOutputTokens = 8, Seed = 42 }, TestContext.Current.CancellationToken));

        AssertSentFixtureRequest(server, "chat-stream-include-usage");
        var response = updates.ToChatResponse();
        Assert.Equal("(@\" uint edge Backgroundatlea Eclipsecept", response.Text);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal("chatcmpl-dkA4CR8Ii6Ndhbvy9Q8XNlzTE9hvOWTa", response.ResponseId);
        var usage = Assert.Single(updates.SelectMany(u => u.Contents).OfType<UsageContent>()).Details;
        AssertUsage(usage, 29, 8, 37, 28);
        Assert.True(usage.AdditionalCounts!.ContainsKey(UsageCountKeys.EvalDurationNs));
    }

    [Fact]
    public async Task chat_nonstream_multi_turn()
    {
        await using var server = await ServeAsync("chat-nonstream-multi-turn");
        using var client = Client(server);
        ChatMessage[] history = [new(ChatRole.System, "Be brief."), new(ChatRole.User, "Hi"), new(ChatRole.Assistant, "Hello!"), new(ChatRole.User, "How are you?")];

        var response = await client.GetResponseAsync(history, new ChatOptions { MaxOutputTokens = 6, Temperature = 0.7f, TopP = 0.9f, Seed = 3 }, TestContext.Current.CancellationToken);

        AssertSentFixtureRequest(server, "chat-nonstream-multi-turn");
        Assert.Equal(" spr gouvernementeffрьinthlim", response.Text);
        AssertUsage(response.Usage, 36, 6, 42, 4);
    }

    [Fact]
    public async Task chat_content_parts_array()
    {
        await using var server = await ServeAsync("chat-content-parts-array");
        using var client = Client(server);

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, [new TextContent("Describe "), new TextContent("a cat.")])], new ChatOptions { MaxOutputTokens = 6, Seed = 3 }, TestContext.Current.CancellationToken);

        AssertSentFixtureRequest(server, "chat-content-parts-array");
        Assert.Equal(" spr gouvernement AV».osz ogni", response.Text);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
    }

    [Fact]
    public async Task chat_stop_sequence_and_sampling_params()
    {
        await using var server = await ServeAsync("chat-stop-sequence-and-sampling-params");
        using var client = Client(server);
        var options = new ChatOptions { MaxOutputTokens = 8, Seed = 1, Temperature = 0, TopP = 1, PresencePenalty = 0.5f, FrequencyPenalty = 0.5f, StopSequences = ["\n", "###"] };

        var response = await client.GetResponseAsync(HelloConversation, options, TestContext.Current.CancellationToken);

        AssertSentFixtureRequest(server, "chat-stop-sequence-and-sampling-params");
        Assert.Equal("alph Floricane Pauloinst© WindowsCa", response.Text);
    }

    [Fact]
    public async Task chat_n2_multiple_choices_nonstream()
    {
        await using var server = await ServeAsync("chat-n2-multiple-choices-nonstream");
        using var client = Client(server);
        var options = new ChatOptions { MaxOutputTokens = 4, Seed = 42, AdditionalProperties = new() { ["n"] = 2 } };

        var response = await client.GetResponseAsync("hi", options, TestContext.Current.CancellationToken);

        AssertSentFixtureRequest(server, "chat-n2-multiple-choices-nonstream");
        Assert.Equal(2, response.Messages.Count);
        Assert.Equal(" Kent始andelua", response.Messages[0].Text);
        Assert.Equal(" point asseocoatextrm", response.Messages[1].Text);
        Assert.NotEqual(response.Messages[0].MessageId, response.Messages[1].MessageId);
    }

    [Fact]
    public async Task chat_logprobs_nonstream()
    {
        await using var server = await ServeAsync("chat-logprobs-nonstream");
        using var client = Client(server);
        var options = new ChatOptions { MaxOutputTokens = 3, Seed = 42, AdditionalProperties = new() { ["logprobs"] = true, ["top_logprobs"] = 2 } };

        var response = await client.GetResponseAsync(HelloConversation, options, TestContext.Current.CancellationToken);

        AssertSentFixtureRequest(server, "chat-logprobs-nonstream");
        Assert.Equal("(@\" uint edge", response.Text);
        var logprobs = Assert.IsType<JsonElement>(response.Messages[0].AdditionalProperties!["logprobs"]);
        Assert.Equal(3, logprobs.GetProperty("content").GetArrayLength());
        Assert.Equal(2, logprobs.GetProperty("content")[0].GetProperty("top_logprobs").GetArrayLength());

        // The typed accessor reads the same tokens, the same way as for every other server.
        var tokens = response.Messages[0].GetLogprobs()!;
        Assert.Equal(["(@\"", " uint", " edge"], tokens.Select(t => t.Token));
        Assert.Equal(" uint"u8.ToArray(), tokens[1].Bytes);
        Assert.Equal(-10.18195629119873, tokens[1].Logprob, 12);
        Assert.Equal([" Serial", " Hart"], tokens[1].TopLogprobs.Select(t => t.Token));
    }

    [Fact]
    public async Task chat_logprobs_stream()
    {
        await using var server = await ServeAsync("chat-logprobs-stream");
        using var client = Client(server, includeUsage: false);
        var options = new ChatOptions { MaxOutputTokens = 3, Seed = 42, AdditionalProperties = new() { ["logprobs"] = true, ["top_logprobs"] = 2 } };

        var updates = await CollectAsync(client.GetStreamingResponseAsync(HelloConversation, options, TestContext.Current.CancellationToken));

        AssertSentFixtureRequest(server, "chat-logprobs-stream");
        Assert.Equal("(@\" uint edge", updates.ToChatResponse().Text);
        var withLogprobs = updates.Where(u => u.AdditionalProperties?.ContainsKey("logprobs") == true).ToList();
        Assert.Equal(3, withLogprobs.Count);
        Assert.All(withLogprobs, u => Assert.IsType<JsonElement>(u.AdditionalProperties!["logprobs"]));
        Assert.Equal(["(@\"", " uint", " edge"], withLogprobs.Select(u => Assert.Single(u.GetLogprobs()!).Token));
        Assert.All(withLogprobs, u => Assert.Equal(2, u.GetLogprobs()![0].TopLogprobs.Count));
        Assert.All(updates.Except(withLogprobs), u => Assert.Null(u.GetLogprobs()));
    }

    [Fact]
    public async Task chat_json_schema_nonstream()
    {
        await using var server = await ServeAsync("chat-json-schema-nonstream");
        using var client = Client(server);
        var schema = JsonElement.Parse("""{"type":"object","properties":{"color":{"type":"string","enum":["red","green","blue"]},"ok":{"type":"boolean"}},"required":["color","ok"],"additionalProperties":false}""");
        var options = new ChatOptions
        {
            ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, "color"),
            MaxOutputTokens = 64,
            Seed = 42,
            AdditionalProperties = new() { ["strictJsonSchema"] = true },
        };

        var response = await client.GetResponseAsync("Give me a color as JSON.", options, TestContext.Current.CancellationToken);

        AssertSentFixtureRequest(server, "chat-json-schema-nonstream");
        Assert.Equal("{ \"color\":\"green\",\"ok\": true}", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
    }

    [Fact]
    public async Task chat_json_schema_nonstream_typed_result()
    {
        await using var server = await ServeAsync("chat-json-schema-nonstream");
        using var client = Client(server);

        var response = await client.GetResponseAsync<ColorAnswer>("Give me a color as JSON.", TestJsonContext.Default.Options, cancellationToken: TestContext.Current.CancellationToken);

        var sent = Assert.Single(server.Requests).BodyJson!;
        Assert.Equal("json_schema", sent["response_format"]!["type"]!.GetValue<string>());
        Assert.NotNull(sent["response_format"]!["json_schema"]!["schema"]!["properties"]!["color"]);
        Assert.Equal("green", response.Result.Color);
        Assert.True(response.Result.Ok);
    }

    [Fact]
    public async Task chat_json_object_unconstrained_nonstream()
    {
        await using var server = await ServeAsync("chat-json-object-unconstrained-nonstream");
        using var client = Client(server);

        var response = await client.GetResponseAsync("Reply with a JSON object.", new ChatOptions { ResponseFormat = ChatResponseFormat.Json, MaxOutputTokens = 24, Seed = 1 }, TestContext.Current.CancellationToken);

        AssertSentFixtureRequest(server, "chat-json-object-unconstrained-nonstream");
        Assert.StartsWith("sets]/limjamin", response.Text, StringComparison.Ordinal);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
    }

    [Fact]
    public async Task chat_json_object_with_schema_nonstream()
    {
        // llama.cpp's own extension, reachable by passing response_format through AdditionalProperties.
        await using var server = await ServeAsync("chat-json-object-with-schema-nonstream");
        using var client = Client(server);
        var format = System.Text.Json.Nodes.JsonNode.Parse("""{"type":"json_object","schema":{"type":"object","properties":{"n":{"type":"integer","enum":[1,2,3]}},"required":["n"]}}""");
        var options = new ChatOptions { MaxOutputTokens = 32, Seed = 42, AdditionalProperties = new() { ["response_format"] = format } };

        var response = await client.GetResponseAsync("Reply with a JSON object.", options, TestContext.Current.CancellationToken);

        AssertSentFixtureRequest(server, "chat-json-object-with-schema-nonstream");
        Assert.Equal("{ \"n\":2 }", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
    }

    [Fact]
    public async Task chat_tools_auto_nonstream()
    {
        await using var server = await ServeAsync("chat-tools-auto-nonstream");
        using var client = Client(server);
        var options = new ChatOptions { ModelId = "tiny", Tools = [GetWeather], ToolMode = ChatToolMode.Auto, MaxOutputTokens = 12, Seed = 42 };

        var response = await client.GetResponseAsync("What is the weather in Paris?", options, TestContext.Current.CancellationToken);

        AssertSentFixtureRequest(server, "chat-tools-auto-nonstream");
        Assert.Equal("setsOct♣ण EM่ť de Agumutable causTransaction", response.Text);
        Assert.DoesNotContain(response.Messages[0].Contents, c => c is FunctionCallContent);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
    }

    [Fact]
    public async Task chat_tools_auto_stream()
    {
        await using var server = await ServeAsync("chat-tools-auto-stream");
        using var client = Client(server, includeUsage: false);
        var options = new ChatOptions { ModelId = "tiny", Tools = [GetWeather], ToolMode = ChatToolMode.Auto, MaxOutputTokens = 12, Seed = 42 };

        var updates = await CollectAsync(client.GetStreamingResponseAsync("What is the weather in Paris?", options, TestContext.Current.CancellationToken));

        AssertSentFixtureRequest(server, "chat-tools-auto-stream");
        var response = updates.ToChatResponse();
        Assert.Equal("setsOct♣ण EM่ť de Agumutable causTransaction", response.Text);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        AssertUsage(response.Usage, 230, 12, 242, 229);
    }

    [Fact]
    public async Task chat_tools_call_nonstream()
    {
        await using var server = await ServeAsync("chat-tools-call-nonstream");
        using var client = Client(server);
        var options = new ChatOptions
        {
            ModelId = "tiny",
            Tools = [GetWeather],
            ToolMode = ChatToolMode.RequireAny,
            MaxOutputTokens = 64,
            Seed = 42,
            AdditionalProperties = new() { ["logit_bias"] = new Dictionary<string, int> { ["31992"] = 100 } },
        };

        var response = await client.GetResponseAsync(WeatherPrefilled, options, TestContext.Current.CancellationToken);

        AssertSentFixtureRequest(server, "chat-tools-call-nonstream");
        var call = Assert.IsType<FunctionCallContent>(Assert.Single(response.Messages[0].Contents));
        Assert.Equal("TkDIlvam3DpenDv2wMpGZBrZnXYXwrFq", call.CallId);
        Assert.Equal("get_weather", call.Name);
        Assert.Null(call.Exception);
        Assert.Equal("Tokyo", call.Arguments!["city"]?.ToString());
        Assert.Equal("fahrenheit", call.Arguments!["unit"]?.ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        AssertUsage(response.Usage, 232, 62, 294, 231);
    }

    [Fact]
    public async Task chat_tools_call_stream()
    {
        await using var server = await ServeAsync("chat-tools-call-stream");
        using var client = Client(server);
        var options = new ChatOptions
        {
            ModelId = "tiny",
            Tools = [GetWeather],
            ToolMode = ChatToolMode.RequireAny,
            MaxOutputTokens = 64,
            Seed = 42,
            AdditionalProperties = new() { ["logit_bias"] = System.Text.Json.Nodes.JsonNode.Parse("""{"31992":100}""") },
        };

        var updates = await CollectAsync(client.GetStreamingResponseAsync(WeatherPrefilled, options, TestContext.Current.CancellationToken));

        AssertSentFixtureRequest(server, "chat-tools-call-stream");
        var call = Assert.Single(updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>());
        Assert.Equal("eYeFgkRL7uNTqw0Yan9fdeHbb07dY0AC", call.CallId);
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("Tokyo", call.Arguments!["city"]?.ToString());
        Assert.Equal("fahrenheit", call.Arguments!["unit"]?.ToString());
        var finish = Assert.Single(updates, u => u.FinishReason is not null);
        Assert.Equal(ChatFinishReason.ToolCalls, finish.FinishReason);
        Assert.Contains(call, finish.Contents);
        Assert.Empty(updates.SelectMany(u => u.Contents).OfType<TextContent>());
        AssertUsage(updates.ToChatResponse().Usage, 232, 62, 294, 231);
    }

    [Fact]
    public async Task chat_tools_call_length_nonstream()
    {
        await using var server = await ServeAsync("chat-tools-call-length-nonstream");
        using var client = Client(server);
        var options = new ChatOptions { ModelId = "tiny", Tools = [GetWeather], ToolMode = ChatToolMode.RequireAny, MaxOutputTokens = 64, Seed = 42 };

        var response = await client.GetResponseAsync(WeatherPrefilled, options, TestContext.Current.CancellationToken);

        AssertSentFixtureRequest(server, "chat-tools-call-length-nonstream");
        var call = Assert.IsType<FunctionCallContent>(Assert.Single(response.Messages[0].Contents));
        Assert.Equal("oKBucKHOj56DUFCCZjiCMXrLeyAG1mc3", call.CallId);
        Assert.Equal("Paris", call.Arguments!["city"]?.ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
    }

    [Fact]
    public async Task chat_tools_parallel_calls_nonstream()
    {
        await using var server = await ServeAsync("chat-tools-parallel-calls-nonstream");
        using var client = Client(server);
        ChatMessage[] messages =
        [
            new(ChatRole.User, "Weather in Paris and Tokyo?"),
            new(ChatRole.Assistant, "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\", \"unit\": \"celsius\"}}\n</tool_call>\n<tool_call>\n"),
        ];
        var options = new ChatOptions
        {
            Tools = [GetWeather],
            ToolMode = ChatToolMode.RequireAny,
            AllowMultipleToolCalls = true,
            MaxOutputTokens = 64,
            Seed = 42,
            AdditionalProperties = new() { ["logit_bias"] = new Dictionary<string, int> { ["31992"] = 100 } },
        };

        var response = await client.GetResponseAsync(messages, options, TestContext.Current.CancellationToken);

        AssertSentFixtureRequest(server, "chat-tools-parallel-calls-nonstream");
        var calls = response.Messages[0].Contents.OfType<FunctionCallContent>().ToList();
        Assert.Equal(2, calls.Count);
        Assert.Equal(["0vneaF60qXJ9WlkyKtaeXJYtQbpNMuJA", "k8ExVLnbBbMEk492xp809cGkdt9eHSBm"], calls.Select(c => c.CallId));
        Assert.Equal(["Paris", "Tokyo"], calls.Select(c => c.Arguments!["city"]?.ToString()));
        Assert.Equal(["celsius", "fahrenheit"], calls.Select(c => c.Arguments!["unit"]?.ToString()));
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
    }

    [Fact]
    public async Task chat_tools_choice_none()
    {
        await using var server = await ServeAsync("chat-tools-choice-none");
        using var client = Client(server);

        var response = await client.GetResponseAsync("What is the weather in Paris?", new ChatOptions { Tools = [GetWeather], ToolMode = ChatToolMode.None, MaxOutputTokens = 6, Seed = 42 }, TestContext.Current.CancellationToken);

        AssertSentFixtureRequest(server, "chat-tools-choice-none");
        Assert.Equal("setsOct♣ण EM่", response.Text);
    }

    [Fact]
    public async Task chat_tools_choice_object_falls_back_to_auto()
    {
        // The recording shows the server reading a tool_choice object as "auto"; so RequireSpecific is sent as "required" over that tool.
        await using var server = await ServeAsync("chat-tools-choice-object-falls-back-to-auto");
        using var client = Client(server);
        var options = new ChatOptions { Tools = [GetWeather], ToolMode = ChatToolMode.RequireSpecific("get_weather"), MaxOutputTokens = 128, Seed = 7 };

        var response = await client.GetResponseAsync("What is the weather in Paris?", options, TestContext.Current.CancellationToken);

        var expected = FixtureRequest("chat-tools-choice-object-falls-back-to-auto");
        expected["tool_choice"] = "required";
        JsonAssert.Equal(expected, Assert.Single(server.Requests).BodyJson!);
        Assert.StartsWith("™ Garлимпийanelblogs", response.Text, StringComparison.Ordinal);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        AssertUsage(response.Usage, 230, 128, 358, 0);
    }

    [Fact]
    public async Task chat_tools_required_model_wrote_content()
    {
        await using var server = await ServeAsync("chat-tools-required-model-wrote-content");
        using var client = Client(server);
        var options = new ChatOptions { ModelId = "tiny", Tools = [GetWeather], ToolMode = ChatToolMode.RequireAny, MaxOutputTokens = 16, Seed = 42 };

        var response = await client.GetResponseAsync("What is the weather in Paris?", options, TestContext.Current.CancellationToken);

        AssertSentFixtureRequest(server, "chat-tools-required-model-wrote-content");
        Assert.Equal("setsOct♣ण EM่ť de Agumutable causTransactionhing Colditionally fir", response.Text);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
    }

    [Fact]
    public async Task chat_reasoning_budget_nonstream()
    {
        await using var server = await ServeAsync("chat-reasoning-budget-nonstream");
        using var client = Client(server);

        var response = await client.GetResponseAsync("What is 2+2?", ReasoningOptions(), TestContext.Current.CancellationToken);

        AssertSentFixtureRequest(server, "chat-reasoning-budget-nonstream");
        AssertReasoningThenAnswer(response.Messages[0].Contents);
        Assert.Equal(TinyDeepSeek, response.ModelId);
        AssertUsage(response.Usage, 12, 24, 36, 11);
    }

    [Fact]
    public async Task chat_reasoning_budget_stream()
    {
        await using var server = await ServeAsync("chat-reasoning-budget-stream");
        using var client = Client(server);

        var updates = await CollectAsync(client.GetStreamingResponseAsync("What is 2+2?", ReasoningOptions(), TestContext.Current.CancellationToken));

        AssertSentFixtureRequest(server, "chat-reasoning-budget-stream");
        var contents = updates.SelectMany(u => u.Contents).ToList();
        int lastReasoning = contents.FindLastIndex(c => c is TextReasoningContent);
        int firstText = contents.FindIndex(c => c is TextContent);
        Assert.True(lastReasoning < firstText, "reasoning deltas come before content deltas");
        Assert.Equal(5, contents.OfType<TextReasoningContent>().Count());
        var response = updates.ToChatResponse();
        AssertReasoningThenAnswer(response.Messages[0].Contents);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        AssertUsage(response.Usage, 12, 24, 36, 11);
    }

    [Fact]
    public async Task chat_reasoning_format_deepseek_legacy_nonstream()
    {
        await using var server = await ServeAsync("chat-reasoning-format-deepseek-legacy-nonstream");
        using var client = Client(server);
        var options = ReasoningOptions();
        options.AdditionalProperties!["reasoning_format"] = "deepseek-legacy";

        var response = await client.GetResponseAsync("What is 2+2?", options, TestContext.Current.CancellationToken);

        AssertSentFixtureRequest(server, "chat-reasoning-format-deepseek-legacy-nonstream");
        AssertReasoningThenAnswer(response.Messages[0].Contents);
    }

    [Fact]
    public async Task chat_reasoning_format_none_nonstream_splits_inline_think_tags()
    {
        await using var server = await ServeAsync("chat-reasoning-format-none-nonstream");
        using var client = Client(server);
        var options = ReasoningOptions();
        options.AdditionalProperties!["reasoning_format"] = "none";

        var response = await client.GetResponseAsync("What is 2+2?", options, TestContext.Current.CancellationToken);

        AssertSentFixtureRequest(server, "chat-reasoning-format-none-nonstream");
        // The same objects as the server-side "deepseek" parser gives: the caller cannot tell the formats apart.
        AssertReasoningThenAnswer(response.Messages[0].Contents);
    }

    [Fact]
    public async Task chat_reasoning_format_none_nonstream_keeps_tags_when_splitting_is_off()
    {
        await using var server = await ServeAsync("chat-reasoning-format-none-nonstream");
        using var client = new LlamaCppChatClient(server.BaseAddress, options: new LlamaCppClientOptions { SplitThinkTags = false });

        var response = await client.GetResponseAsync("What is 2+2?", cancellationToken: TestContext.Current.CancellationToken);

        Assert.StartsWith("<think>\n BetweenValuesmense wszyst osob</think> indicate", Assert.IsType<TextContent>(Assert.Single(response.Messages[0].Contents)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task chat_reasoning_history_with_reasoning_content()
    {
        await using var server = await ServeAsync("chat-reasoning-history-with-reasoning-content");
        using var client = Client(server);
        ChatMessage[] history =
        [
            new(ChatRole.User, "Hi"),
            new(ChatRole.Assistant, [new TextReasoningContent("The user greets me."), new TextContent("Hello!")]),
            new(ChatRole.User, "What is 2+2?"),
        ];

        var response = await client.GetResponseAsync(history, new ChatOptions { MaxOutputTokens = 8, Seed = 42 }, TestContext.Current.CancellationToken);

        AssertSentFixtureRequest(server, "chat-reasoning-history-with-reasoning-content");
        var reasoning = Assert.IsType<TextReasoningContent>(Assert.Single(response.Messages[0].Contents));
        Assert.Equal("\n(@\"Where athletOh ISBN хозяйбюником", reasoning.Text);
        Assert.Equal(string.Empty, response.Text);
    }

    [Fact]
    public async Task chat_reasoning_json_schema_no_budget_nonstream()
    {
        await using var server = await ServeAsync("chat-reasoning-json-schema-no-budget-nonstream");
        using var client = Client(server);
        var schema = JsonElement.Parse("""{"type":"object","properties":{"answer":{"type":"integer","enum":[4]}},"required":["answer"]}""");
        var options = new ChatOptions { MaxOutputTokens = 64, Seed = 1, ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, "answer") };

        var response = await client.GetResponseAsync("What is 2+2?", options, TestContext.Current.CancellationToken);

        AssertSentFixtureRequest(server, "chat-reasoning-json-schema-no-budget-nonstream");
        var reasoning = Assert.IsType<TextReasoningContent>(Assert.Single(response.Messages[0].Contents));
        Assert.StartsWith("\nwick naarquit solves", reasoning.Text, StringComparison.Ordinal);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        AssertUsage(response.Usage, 12, 64, 76, 11);
    }

    [Fact]
    public async Task chat_reasoning_nonstream_length()
    {
        await using var server = await ServeAsync("chat-reasoning-nonstream-length");
        using var client = Client(server);

        var response = await client.GetResponseAsync("What is 2+2?", new ChatOptions { MaxOutputTokens = 10, Seed = 1 }, TestContext.Current.CancellationToken);

        AssertSentFixtureRequest(server, "chat-reasoning-nonstream-length");
        Assert.Equal("\nwick naarquit solves proverams ore♣ GarcíaOver", Assert.IsType<TextReasoningContent>(Assert.Single(response.Messages[0].Contents)).Text);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
    }

    [Fact]
    public async Task chat_reasoning_hidden_when_output_is_none()
    {
        await using var server = await ServeAsync("chat-reasoning-budget-stream");
        using var client = Client(server);
        var options = ReasoningOptions();
        options.Reasoning = new ReasoningOptions { Output = ReasoningOutput.None };

        var updates = await CollectAsync(client.GetStreamingResponseAsync("What is 2+2?", options, TestContext.Current.CancellationToken));

        Assert.Empty(updates.SelectMany(u => u.Contents).OfType<TextReasoningContent>());
        Assert.Equal(" indicate buildsvićday gepublicственныйazuлки.[CRE distances pèreodes spin╌NUMст Staff", updates.ToChatResponse().Text);
    }

    [Fact]
    public async Task embeddings_server_chat_completion()
    {
        await using var server = await ServeAsync("embeddings-server-chat-completion");
        using var client = Client(server);

        var response = await client.GetResponseAsync("hi", new ChatOptions { MaxOutputTokens = 4, Seed = 1 }, TestContext.Current.CancellationToken);

        AssertSentFixtureRequest(server, "embeddings-server-chat-completion");
        Assert.Equal(" Install widelyStrategy Barb", response.Text);
        Assert.Equal("/opt/gguf/models/llama-2-tiny-random.gguf", response.ModelId);
    }

    [Fact]
    public async Task auth_ok_bearer_key()
    {
        await using var server = await ServeAsync("auth-ok-bearer-key");
        using var client = Client(server, apiKey: "test-key-123");

        var response = await client.GetResponseAsync("hi", new ChatOptions { MaxOutputTokens = 4, Seed = 1 }, TestContext.Current.CancellationToken);

        AssertSentFixtureRequest(server, "auth-ok-bearer-key");
        Assert.Equal("Bearer test-key-123", server.Requests[0].Headers["Authorization"]);
        Assert.Equal("zetastern Identifier response", response.Text);
        Assert.DoesNotContain("test-key-123", client.GetService<ChatClientMetadata>()!.ProviderUri!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task auth_x_api_key_header()
    {
        // The server also accepts X-Api-Key; a caller who needs it adds it on their own HttpClient handler. The response maps the same.
        await using var server = await ServeAsync("auth-x-api-key-header");
        using var http = new HttpClient(new ApiKeyHeaderHandler("test-key-123") { InnerHandler = new HttpClientHandler() });
        using var client = new LlamaCppChatClient(server.BaseAddress, httpClient: http);

        var response = await client.GetResponseAsync("hi", new ChatOptions { MaxOutputTokens = 4, Seed = 1 }, TestContext.Current.CancellationToken);

        AssertSentFixtureRequest(server, "auth-x-api-key-header");
        Assert.Equal("test-key-123", server.Requests[0].Headers["X-Api-Key"]);
        Assert.False(server.Requests[0].Headers.ContainsKey("Authorization"));
        Assert.Equal("zetastern Identifier response", response.Text);
        AssertUsage(response.Usage, 34, 4, 38, 33);
    }

    private static ChatOptions ReasoningOptions() => new()
    {
        MaxOutputTokens = 24,
        Seed = 42,
        AdditionalProperties = new() { ["thinking_budget_tokens"] = 6 },
    };

    private static void AssertReasoningThenAnswer(IList<AIContent> contents)
    {
        Assert.Equal(2, contents.Count);
        Assert.Equal("\n BetweenValuesmense wszyst osob", Assert.IsType<TextReasoningContent>(contents[0]).Text);
        Assert.Equal(" indicate buildsvićday gepublicственныйazuлки.[CRE distances pèreodes spin╌NUMст Staff", Assert.IsType<TextContent>(contents[1]).Text);
    }

    private sealed class ApiKeyHeaderHandler(string key) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Add("X-Api-Key", key);
            return base.SendAsync(request, cancellationToken);
        }
    }
}

public sealed record ColorAnswer(string Color, bool Ok);

[System.Text.Json.Serialization.JsonSerializable(typeof(ColorAnswer))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class TestJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
