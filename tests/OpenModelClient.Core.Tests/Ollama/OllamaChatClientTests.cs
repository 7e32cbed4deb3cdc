using System.Net;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using OpenModelClient.Tests.Infrastructure;
using static OpenModelClient.Tests.Ollama.OllamaTestSupport;

using OpenModelClient.Tests.TestDoubles;

namespace OpenModelClient.Tests.Ollama;

/// <summary>Wire tests: the real client against the Kestrel replay server, one test per documented response shape.</summary>
public sealed class OllamaChatClientTests
{
    private static readonly ChatMessage[] Question = [new(ChatRole.User, "What is 2+2?")];

    [Fact]
    public async Task GetStreamingResponseAsync_Text_YieldsTextThenFinishReasonAndUsage()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("chat-stream-text"));
        using var client = ChatClient(server);

        var updates = await client.GetStreamingResponseAsync(Question, cancellationToken: Ct).ToListAsync(Ct);

        Assert.Equal("The answer is 4.", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(["The", " answer", " is 4."], updates.Where(u => u.Text.Length > 0).Select(u => u.Text));
        var responseId = updates[0].ResponseId;
        Assert.StartsWith("ollama-", responseId, StringComparison.Ordinal);
        Assert.All(updates, u =>
        {
            Assert.Equal(responseId, u.ResponseId);
            Assert.Equal(responseId, u.MessageId);
            Assert.Equal(ChatRole.Assistant, u.Role);
            Assert.Equal("qwen3", u.ModelId);
            Assert.Null(u.RawRepresentation); // the line objects are the reader's own, reused for the next line
        });
        Assert.Equal(new DateTimeOffset(2025, 10, 26, 17, 15, 24, TimeSpan.Zero).AddTicks(1091720), updates[0].CreatedAt);

        var last = updates[^1];
        Assert.Equal(ChatFinishReason.Stop, last.FinishReason);
        Assert.All(updates.SkipLast(1), u => Assert.Null(u.FinishReason));
        var usage = Assert.Single(last.Contents.OfType<UsageContent>()).Details;
        AssertFixtureUsage(usage);

        // The same response, aggregated the Microsoft.Extensions.AI way.
        var response = updates.ToChatResponse();
        Assert.Equal("The answer is 4.", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(169, response.Usage?.InputTokenCount);
        Assert.Single(response.Messages);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_OneBytePerWrite_YieldsTheSameText()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("chat-stream-thinking").WithChunking(ReplayChunking.PerByte));
        using var client = ChatClient(server);

        var response = (await client.GetStreamingResponseAsync(Question, cancellationToken: Ct).ToListAsync(Ct)).ToChatResponse();

        Assert.Equal("The answer is 4.", response.Text);
        Assert.Equal("Okay, the user asks for 2+2.", string.Concat(response.Messages[0].Contents.OfType<TextReasoningContent>().Select(r => r.Text)));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_Thinking_YieldsTextReasoningContentBeforeText()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("chat-stream-thinking"));
        using var client = ChatClient(server);

        var updates = await client.GetStreamingResponseAsync(Question, cancellationToken: Ct).ToListAsync(Ct);

        Assert.Equal("Okay, the user", Assert.IsType<TextReasoningContent>(Assert.Single(updates[0].Contents)).Text);
        Assert.Equal(" asks for 2+2.", Assert.IsType<TextReasoningContent>(Assert.Single(updates[1].Contents)).Text);
        Assert.Equal("The", Assert.IsType<TextContent>(Assert.Single(updates[2].Contents)).Text);
        var message = Assert.Single(updates.ToChatResponse().Messages);
        Assert.Collection(
            message.Contents,
            c => Assert.Equal("Okay, the user asks for 2+2.", Assert.IsType<TextReasoningContent>(c).Text),
            c => Assert.Equal("The answer is 4.", Assert.IsType<TextContent>(c).Text));
        Assert.IsType<UsageContent>(Assert.Single(updates[^1].Contents));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ReasoningOutputNone_HidesReasoningButKeepsThink()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("chat-stream-thinking"));
        using var client = ChatClient(server);
        var options = new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Medium, Output = ReasoningOutput.None } };

        var updates = await client.GetStreamingResponseAsync(Question, options, Ct).ToListAsync(Ct);

        Assert.DoesNotContain(updates.SelectMany(u => u.Contents), c => c is TextReasoningContent);
        Assert.Equal("The answer is 4.", string.Concat(updates.Select(u => u.Text)));
        Assert.True(server.Requests[0].BodyJson!["think"]!.GetValue<bool>());
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ToolCall_YieldsWholeFunctionCallAndToolCallsFinishReason()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("chat-stream-tool-call"));
        using var client = ChatClient(server);

        var updates = await client.GetStreamingResponseAsync(Question, cancellationToken: Ct).ToListAsync(Ct);

        var call = Assert.IsType<FunctionCallContent>(Assert.Single(updates[0].Contents));
        Assert.Equal("call_k3x9a0b2", call.CallId);
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("Tokyo", Assert.IsType<JsonElement>(call.Arguments!["city"]).GetString());
        Assert.Equal(ChatFinishReason.ToolCalls, updates[^1].FinishReason);
        Assert.Equal(ChatFinishReason.ToolCalls, updates.ToChatResponse().FinishReason);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ToolCallsWithoutIds_SynthesisesDistinctIds()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("chat-stream-tool-call-without-id"));
        using var client = ChatClient(server);

        var updates = await client.GetStreamingResponseAsync(Question, cancellationToken: Ct).ToListAsync(Ct);

        var calls = updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal(["get_weather", "get_time"], calls.Select(c => c.Name));
        Assert.All(calls, c => Assert.StartsWith("call_", c.CallId, StringComparison.Ordinal));
        Assert.NotEqual(calls[0].CallId, calls[1].CallId);
        Assert.Equal("celsius", ((JsonElement)calls[0].Arguments!["unit"]!).GetString());
        Assert.Equal("Asia/Tokyo", ((JsonElement)calls[1].Arguments!["zone"]!).GetString());
        Assert.Equal(ChatFinishReason.ToolCalls, updates[^1].FinishReason);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_JsonFormat_SendsFormatJsonAndYieldsTheJsonText()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("chat-stream-json-format"));
        using var client = ChatClient(server);

        var response = (await client.GetStreamingResponseAsync(Question, new ChatOptions { ResponseFormat = ChatResponseFormat.Json }, Ct).ToListAsync(Ct)).ToChatResponse();

        Assert.Equal("json", server.Requests[0].BodyJson!["format"]!.GetValue<string>());
        using var parsed = JsonDocument.Parse(response.Text);
        Assert.Equal("Tokyo", parsed.RootElement.GetProperty("city").GetString());
        Assert.Equal(22, parsed.RootElement.GetProperty("temperature").GetInt32());
    }

    [Theory]
    [InlineData(true, "2+2 is simple.", "4")]
    [InlineData(false, "", "<think>2+2 is simple.</think>\n\n4")]
    public async Task GetStreamingResponseAsync_InlineThinkTags_SplitOnlyWhenEnabled(bool split, string expectedReasoning, string expectedText)
    {
        await using var server = await ReplayServer.StartAsync(Fixture("chat-stream-inline-think-tags"));
        using var client = ChatClient(server, "deepseek-r1", new OllamaChatClientOptions { SplitThinkTags = split });

        var updates = await client.GetStreamingResponseAsync(Question, cancellationToken: Ct).ToListAsync(Ct);

        var contents = updates.SelectMany(u => u.Contents).ToList();
        Assert.Equal(expectedReasoning, string.Concat(contents.OfType<TextReasoningContent>().Select(r => r.Text)));
        Assert.Equal(expectedText, string.Concat(contents.OfType<TextContent>().Select(t => t.Text)));
    }

    [Theory]
    [InlineData("chat-stream-done-without-reason", "stop")]
    [InlineData("chat-stream-done-reason-length", "length")]
    public async Task GetStreamingResponseAsync_DoneReason_MapsToFinishReason(string scenario, string expected)
    {
        await using var server = await ReplayServer.StartAsync(Fixture(scenario));
        using var client = ChatClient(server);

        var updates = await client.GetStreamingResponseAsync(Question, cancellationToken: Ct).ToListAsync(Ct);

        Assert.Equal(new ChatFinishReason(expected), updates[^1].FinishReason);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_Logprobs_RequestedThroughSettingsAndSurfacedPerUpdate()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("chat-stream-logprobs"));
        using var client = ChatClient(server);
        var options = new ChatOptions { RawRepresentationFactory = _ => new OllamaRequestSettings { Logprobs = true, TopLogprobs = 2 } };

        var updates = await client.GetStreamingResponseAsync(Question, options, Ct).ToListAsync(Ct);

        var body = server.Requests[0].BodyJson!;
        Assert.True(body["logprobs"]!.GetValue<bool>());
        Assert.Equal(2, body["top_logprobs"]!.GetValue<int>());
        var logprobs = Assert.IsType<JsonElement>(updates[0].AdditionalProperties!["logprobs"]);
        Assert.Equal("The", logprobs[0].GetProperty("token").GetString());
        Assert.Equal(2, logprobs[0].GetProperty("top_logprobs").GetArrayLength());
        var token = Assert.Single(updates[0].GetLogprobs()!);
        Assert.Equal(("The", -0.0123), (token.Token, token.Logprob));
        Assert.Equal("The"u8.ToArray(), token.Bytes);
        Assert.Equal(["The", "A"], token.TopLogprobs.Select(t => t.Token));
        Assert.Null(updates[^1].AdditionalProperties);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ErrorLineMidStream_ThrowsTypedErrorAfterTheOutputSoFar()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("chat-stream-error-line"));
        using var client = ChatClient(server);
        var received = new List<ChatResponseUpdate>();

        var e = await Assert.ThrowsAsync<OpenModelException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync(Question, cancellationToken: Ct))
            {
                received.Add(update);
            }
        });

        Assert.Equal("The", Assert.Single(received).Text);
        Assert.Equal("ollama", e.Provider);
        Assert.Equal("an error was encountered while running the model", e.ProviderMessage);
        Assert.IsNotType<OpenModelProtocolException>(e);
        Assert.Single(server.Requests);
        await server.WaitForClientConnectionsReleasedAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ConnectionCutMidLine_ThrowsTruncated()
    {
        // 130 bytes: the whole first line (121 bytes with its newline) and the start of the second.
        await using var server = await ReplayServer.StartAsync(Fixture("chat-stream-text").CutAfterBytes(130));
        using var client = ChatClient(server);
        var received = new List<ChatResponseUpdate>();

        var e = await Assert.ThrowsAsync<OpenModelProtocolException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync(Question, cancellationToken: Ct))
            {
                received.Add(update);
            }
        });

        Assert.True(e.IsTruncated);
        Assert.Equal("truncated_stream", e.ErrorCode);
        Assert.Equal("The", Assert.Single(received).Text);
        Assert.Single(server.Requests);
        await server.WaitForClientConnectionsReleasedAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CleanEndWithoutDone_ThrowsTruncated()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("chat-stream-ends-without-done"));
        using var client = ChatClient(server);
        var received = new List<ChatResponseUpdate>();

        var e = await Assert.ThrowsAsync<OpenModelProtocolException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync(Question, cancellationToken: Ct))
            {
                received.Add(update);
            }
        });

        Assert.True(e.IsTruncated);
        Assert.Equal("truncated_stream", e.ErrorCode);
        Assert.Equal("The answer", string.Concat(received.Select(u => u.Text)));
        Assert.Single(server.Requests);
        await server.WaitForClientConnectionsReleasedAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_LastLineCutWithoutNewline_ThrowsTruncatedNotMalformed()
    {
        const string Body = """
            {"model":"qwen3","created_at":"2025-10-26T17:15:24.109172Z","message":{"role":"assistant","content":"The"},"done":false}
            {"model":"qwen3","created_at":"2025-10-26T17:15:24.19314Z","message":{"role":"assis
            """;
        await using var server = await ReplayServer.StartAsync(ReplayResponse.Ndjson(Body));
        using var client = ChatClient(server);

        var e = await Assert.ThrowsAsync<OpenModelProtocolException>(async () => await client.GetStreamingResponseAsync(Question, cancellationToken: Ct).ToListAsync(Ct));

        Assert.True(e.IsTruncated);
        Assert.Contains("\"role\":\"assis", e.ReceivedPrefix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_MalformedLine_ThrowsProtocolErrorWithThePrefix()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.Ndjson("{\"model\":\"qwen3\",\"done\":false}\nnot json\n"));
        using var client = ChatClient(server);

        var e = await Assert.ThrowsAsync<OpenModelProtocolException>(async () => await client.GetStreamingResponseAsync(Question, cancellationToken: Ct).ToListAsync(Ct));

        Assert.False(e.IsTruncated);
        Assert.Equal("malformed_response", e.ErrorCode);
        Assert.Equal("not json", e.ReceivedPrefix);
        Assert.Single(server.Requests);
        await server.WaitForClientConnectionsReleasedAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CanceledMidStream_ThrowsCanceledAndReleasesTheConnection()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("chat-stream-text").StallAfterBytes(130));
        using var client = ChatClient(server);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync(Question, cancellationToken: cts.Token))
            {
                Assert.Equal("The", update.Text);
                await cts.CancelAsync();
            }
        });

        await server.WaitForClientAbortAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, server.ClientAbortedRequests);
    }

    [Fact]
    public async Task GetResponseAsync_Thinking_ReturnsReasoningTextUsageAndMetadata()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("chat-nonstream-thinking"));
        using var client = ChatClient(server);

        var response = await client.GetResponseAsync(Question, cancellationToken: Ct);

        Assert.False(server.Requests[0].BodyJson!["stream"]!.GetValue<bool>());
        var message = Assert.Single(response.Messages);
        Assert.Equal(ChatRole.Assistant, message.Role);
        Assert.Collection(
            message.Contents,
            c => Assert.Equal("Okay, the user asks for 2+2.", Assert.IsType<TextReasoningContent>(c).Text),
            c => Assert.Equal("The answer is 4.", Assert.IsType<TextContent>(c).Text));
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal("qwen3", response.ModelId);
        Assert.StartsWith("ollama-", response.ResponseId, StringComparison.Ordinal);
        Assert.Equal(response.ResponseId, message.MessageId);
        Assert.Equal(new DateTimeOffset(2025, 10, 26, 17, 15, 24, TimeSpan.Zero).AddTicks(1931400), response.CreatedAt);
        Assert.IsType<OllamaChatResponse>(response.RawRepresentation);
        AssertFixtureUsage(response.Usage!);
    }

    [Fact]
    public async Task GetResponseAsync_ToolCall_ReturnsFunctionCallAndToolCallsFinishReason()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("chat-nonstream-tool-call"));
        using var client = ChatClient(server);

        var response = await client.GetResponseAsync(Question, cancellationToken: Ct);

        var call = Assert.IsType<FunctionCallContent>(Assert.Single(response.Messages[0].Contents));
        Assert.Equal("call_k3x9a0b2", call.CallId);
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("Tokyo", ((JsonElement)call.Arguments!["city"]!).GetString());
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
    }

    [Fact]
    public async Task GetResponseAsync_LengthWithoutMetrics_ReturnsLengthAndNoUsage()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("chat-nonstream-length-no-metrics"));
        using var client = ChatClient(server);

        var response = await client.GetResponseAsync(Question, cancellationToken: Ct);

        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Null(response.Usage);
        Assert.Equal("The answer", response.Text);
    }

    [Fact]
    public async Task GetResponseAsync_BodyWithoutDone_ThrowsTruncated()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.Json(200, """{"model":"qwen3","message":{"role":"assistant","content":"The"},"done":false}"""));
        using var client = ChatClient(server);

        var e = await Assert.ThrowsAsync<OpenModelProtocolException>(() => client.GetResponseAsync(Question, cancellationToken: Ct));

        Assert.True(e.IsTruncated);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ModelNotFound_WithoutPullIfMissing_ThrowsModelNotFoundWithThePullHint(bool streaming)
    {
        await using var server = await ReplayServer.StartAsync(Fixture("error-404-model-not-found"));
        using var client = ChatClient(server, "qwen3:4b");

        var e = await Assert.ThrowsAsync<ModelNotFoundException>(() => Send(client, streaming, null));

        Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
        Assert.Equal(OpenModelErrorKind.ModelNotFound, e.Kind);
        Assert.Contains("model \"qwen3:4b\" not found, try pulling it first", e.Message, StringComparison.Ordinal);
        Assert.Contains("run `ollama pull qwen3:4b` or enable PullIfMissing", e.Message, StringComparison.Ordinal);
        Assert.IsType<ModelNotFoundException>(e.InnerException);
        Assert.Single(server.Requests);
        await server.WaitForClientConnectionsReleasedAsync(TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ModelNotFound_WithPullIfMissing_PullsReportsProgressAndSendsAgain(bool streaming)
    {
        await using var server = await ReplayServer.StartAsync(
            Fixture("error-404-model-not-found"),
            Fixture("pull-stream"),
            Fixture(streaming ? "chat-stream-text" : "chat-nonstream-thinking"));
        var progress = new ListProgress<OllamaPullProgress>();
        var logs = new CapturingLoggerFactory();
        using var client = ChatClient(server, "qwen3:4b", new OllamaChatClientOptions { PullIfMissing = true, PullProgress = progress, LoggerFactory = logs });

        var text = await Send(client, streaming, null);

        Assert.Equal("The answer is 4.", text);
        Assert.Equal(["/api/chat", "/api/pull", "/api/chat"], server.Requests.Select(r => r.PathAndQuery));
        JsonAssert.Equal("""{"model":"qwen3:4b","stream":true}""", server.Requests[1].BodyJson);
        JsonAssert.Equal(server.Requests[0].BodyJson, server.Requests[2].BodyJson);
        Assert.Equal(7, progress.Items.Count);
        Assert.True(progress.Items[^1].IsSuccess);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("qwen3:4b", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ThinkLevelRejected_SendsAgainWithTrueAndSaysSo(bool streaming)
    {
        await using var server = await ReplayServer.StartAsync(
            Fixture("error-400-think-level-rejected"),
            Fixture(streaming ? "chat-stream-thinking" : "chat-nonstream-thinking"));
        var logs = new CapturingLoggerFactory();
        using var client = ChatClient(server, "gpt-oss:20b", new OllamaChatClientOptions { LoggerFactory = logs });
        var options = new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.High } };
        AdditionalPropertiesDictionary? properties;

        if (streaming)
        {
            var updates = await client.GetStreamingResponseAsync(Question, options, Ct).ToListAsync(Ct);
            properties = updates[0].AdditionalProperties;
            Assert.All(updates.Skip(1), u => Assert.Null(u.AdditionalProperties));
            Assert.Equal("The answer is 4.", string.Concat(updates.Select(u => u.Text)));
        }
        else
        {
            var response = await client.GetResponseAsync(Question, options, Ct);
            properties = response.AdditionalProperties;
            Assert.Equal("The answer is 4.", response.Text);
        }

        Assert.Equal("high", server.Requests[0].BodyJson!["think"]!.GetValue<string>());
        Assert.True(server.Requests[1].BodyJson!["think"]!.GetValue<bool>());
        Assert.Equal("high", properties![OllamaChatClient.ThinkLevelRejectedKey]);
        var warning = Assert.Single(logs.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("'high'", warning.Message, StringComparison.Ordinal);
        Assert.Contains("gpt-oss:20b", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThinkLevelRejectedTwice_ThrowsTheSecondErrorAfterExactlyOneRetry()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("error-400-think-level-rejected"), Fixture("error-400-does-not-support-thinking"), Fixture("chat-nonstream-thinking"));
        using var client = ChatClient(server, "gpt-oss:20b");
        var options = new ChatOptions { RawRepresentationFactory = _ => new OllamaRequestSettings { Think = OllamaThinkMode.Low } };

        var e = await Assert.ThrowsAsync<InvalidRequestException>(() => client.GetResponseAsync(Question, options, Ct));

        Assert.Contains("does not support thinking", e.ProviderMessage, StringComparison.Ordinal);
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal("low", server.Requests[0].BodyJson!["think"]!.GetValue<string>());
        Assert.True(server.Requests[1].BodyJson!["think"]!.GetValue<bool>());
    }

    [Fact]
    public async Task GetResponseAsync_ErrorObjectWithStatus200_ThrowsTypedError()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.Json(200, """{"error":"an error was encountered while running the model"}"""));
        using var client = ChatClient(server);

        var e = await Assert.ThrowsAsync<OpenModelException>(() => client.GetResponseAsync(Question, cancellationToken: Ct));

        Assert.Equal("an error was encountered while running the model", e.ProviderMessage);
        Assert.IsNotType<OpenModelProtocolException>(e);
    }

    [Fact]
    public async Task Dispose_LeavesACallerSuppliedHttpClientUsable()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("chat-nonstream-thinking"), Fixture("version"));
        using var http = new HttpClient();
        using (var client = new OllamaChatClient(server.BaseAddress, "qwen3", http))
        {
            await client.GetResponseAsync(Question, cancellationToken: Ct);
        }

        using var response = await http.GetAsync(new Uri(server.BaseAddress, "api/version"), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task BadRequestWithBooleanThink_IsNotRetried()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("error-400-does-not-support-thinking"), Fixture("chat-nonstream-thinking"));
        using var client = ChatClient(server, "gemma3:1b");
        var options = new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.High } };

        var e = await Assert.ThrowsAsync<InvalidRequestException>(() => client.GetResponseAsync(Question, options, Ct));

        Assert.Equal("\"gemma3:1b\" does not support thinking", e.ProviderMessage);
        Assert.Single(server.Requests);
        Assert.True(server.Requests[0].BodyJson!["think"]!.GetValue<bool>());
    }

    [Fact]
    public async Task QueueFull_ThrowsServerOverloaded()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("error-503-queue-full"));
        using var client = ChatClient(server);

        var e = await Assert.ThrowsAsync<ServerOverloadedException>(() => client.GetResponseAsync(Question, cancellationToken: Ct));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, e.StatusCode);
        Assert.True(e.IsTransient);
    }

    [Fact]
    public async Task NoModelAnywhere_ThrowsBeforeSending()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("chat-nonstream-thinking"));
        using var client = ChatClient(server, model: null);

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetResponseAsync(Question, cancellationToken: Ct));

        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task GetService_ReturnsMetadataServerAndSelf_AndNothingForAKey()
    {
        await using var server = await ReplayServer.StartAsync();
        using var client = new OllamaChatClient(new Uri(server.BaseAddress, "api"), "qwen3:4b");

        var metadata = Assert.IsType<ChatClientMetadata>(client.GetService(typeof(ChatClientMetadata)));
        Assert.Equal("ollama", metadata.ProviderName);
        Assert.Equal(server.BaseAddress, metadata.ProviderUri);
        Assert.Equal("qwen3:4b", metadata.DefaultModelId);
        Assert.Same(client.Server, client.GetService(typeof(OllamaServer)));
        Assert.Same(client, client.GetService(typeof(IChatClient)));
        Assert.Null(client.GetService(typeof(OllamaServer), "key"));
        Assert.Equal(server.BaseAddress, client.Server.Endpoint);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("/api")]
    [InlineData("/api/")]
    [InlineData("/v1")]
    public async Task Endpoint_RootApiOrV1_AllReachApiChat(string suffix)
    {
        await using var server = await ReplayServer.StartAsync(Fixture("chat-nonstream-thinking"));
        using var client = new OllamaChatClient(new Uri(server.BaseAddress.ToString().TrimEnd('/') + suffix), "qwen3");

        await client.GetResponseAsync(Question, cancellationToken: Ct);

        Assert.Equal("/api/chat", server.Requests[0].PathAndQuery);
    }

    [Fact]
    public async Task ApiKey_IsSentAsBearerOnEveryRequest()
    {
        await using var server = await ReplayServer.StartAsync(Fixture("error-404-model-not-found"), Fixture("pull-stream"), Fixture("chat-nonstream-thinking"));
        using var client = ChatClient(server, "qwen3:4b", new OllamaChatClientOptions { ApiKey = "ollama-test-key", PullIfMissing = true });

        await client.GetResponseAsync(Question, cancellationToken: Ct);

        Assert.Equal(3, server.Requests.Count);
        Assert.All(server.Requests, r => Assert.Equal("Bearer ollama-test-key", r.Headers["Authorization"]));
    }

    internal static void AssertFixtureUsage(UsageDetails usage)
    {
        Assert.Equal(169, usage.InputTokenCount);
        Assert.Equal(15, usage.OutputTokenCount);
        Assert.Equal(184, usage.TotalTokenCount);
        var counts = usage.AdditionalCounts!;
        Assert.Equal(182242375, counts[UsageCountKeys.TotalDurationNs]);
        Assert.Equal(41295167, counts[UsageCountKeys.LoadDurationNs]);
        Assert.Equal(24573166, counts[UsageCountKeys.PromptEvalDurationNs]);
        Assert.Equal(115959084, counts[UsageCountKeys.EvalDurationNs]);
        Assert.Equal(169, counts[UsageCountKeys.PromptEvalTokens]);
        Assert.Equal(129, counts[UsageCountKeys.OutputTokensPerSecond]);   // 15 / 0.115959084 s
        Assert.Equal(6877, counts[UsageCountKeys.PromptTokensPerSecond]);  // 169 / 0.024573166 s
    }

    private static async Task<string> Send(OllamaChatClient client, bool streaming, ChatOptions? options)
    {
        if (!streaming)
        {
            return (await client.GetResponseAsync(Question, options, Ct)).Text;
        }

        var updates = await client.GetStreamingResponseAsync(Question, options, Ct).ToListAsync(Ct);
        return string.Concat(updates.Select(u => u.Text));
    }
}
