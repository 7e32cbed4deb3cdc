using System.Net;
using System.Text;
using Microsoft.Extensions.AI;
using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Tests.Reliability;

/// <summary>
/// The stream faults of docs/reliability.md, run against every provider client they apply to: SSE for the chat-completions
/// family (llama.cpp, vLLM, DeepSeek, Qwen), NDJSON for Ollama. Each must end in the same typed outcome everywhere.
/// </summary>
public class ProviderFaultMatrixTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Providers => ["llama.cpp", "vllm", "deepseek", "qwen", "ollama"];

    private static IChatClient Client(string provider, Uri root) => provider switch
    {
        "llama.cpp" => new LlamaCppChatClient(root),
        "vllm" => new OpenAICompatibleChatClient(new Uri(root, "v1"), "m", options: new OpenAICompatibleClientOptions { Preset = OpenAICompatiblePreset.Vllm }),
        "deepseek" => new DeepSeekChatClient(root, DeepSeekModels.Flash, options: new DeepSeekChatClientOptions { ApiKey = "sk-test" }),
        "qwen" => new QwenChatClient(new Uri(root, "compatible-mode/v1"), "qwen-plus", options: new QwenChatClientOptions { ApiKey = "sk-test" }),
        "ollama" => new OllamaChatClient(root, "qwen3"),
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    private static bool IsNdjson(string provider) => provider == "ollama";

    /// <summary>A complete three-piece answer in the provider's framing: "Hello", " there", "!".</summary>
    private static string[] Events(string provider) => IsNdjson(provider)
        ?
        [
            """{"model":"qwen3","created_at":"2026-11-23T10:00:00Z","message":{"role":"assistant","content":"Hello"},"done":false}""" + "\n",
            """{"model":"qwen3","created_at":"2026-11-23T10:00:00Z","message":{"role":"assistant","content":" there"},"done":false}""" + "\n",
            """{"model":"qwen3","created_at":"2026-11-23T10:00:00Z","message":{"role":"assistant","content":"!"},"done":false}""" + "\n",
            """{"model":"qwen3","created_at":"2026-11-23T10:00:00Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","prompt_eval_count":5,"eval_count":3,"eval_duration":3000000}""" + "\n",
        ]
        :
        [
            """data: {"id":"c1","model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"Hello"}}]}""" + "\n\n",
            """data: {"id":"c1","model":"m","choices":[{"index":0,"delta":{"content":" there"}}]}""" + "\n\n",
            """data: {"id":"c1","model":"m","choices":[{"index":0,"delta":{"content":"!"}}]}""" + "\n\n",
            """data: {"id":"c1","model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8}}""" + "\n\ndata: [DONE]\n\n",
        ];

    private static ReplayResponse Stream(string provider, IEnumerable<string> events) =>
        (IsNdjson(provider) ? ReplayResponse.Ndjson(string.Concat(events)) : ReplayResponse.Sse(string.Concat(events))).WithHeader("x-request-id", "req-s");

    /// <summary>The request id a stream error carries: the chunks' response id where the stream has one (SSE), else the header's (NDJSON).</summary>
    private static string ExpectedRequestId(string provider) => IsNdjson(provider) ? "req-s" : "c1";

    // No retries in the provider clients (they happen in the hosted pipeline, before headers; a cut llama.cpp stream only asks to
    // resume it, which this server cannot), and nothing left in use.
    private static async Task AssertOneRequestAndReleasedAsync(ReplayServer server)
    {
        Assert.Equal(1, server.Requests.Count(r => !r.PathAndQuery.StartsWith("/v1/stream?", StringComparison.Ordinal)));
        await server.WaitForClientConnectionsReleasedAsync(TimeSpan.FromSeconds(10));
    }

    private static async Task<(string Text, Exception? Error)> ConsumeAsync(IChatClient client, CancellationToken cancellationToken = default)
    {
        var text = new StringBuilder();
        try
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: cancellationToken))
            {
                text.Append(update.Text);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return (text.ToString(), e);
        }

        return (text.ToString(), null);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_complete_stream_succeeds(string provider)
    {
        await using var server = await ReplayServer.StartAsync(Stream(provider, Events(provider)));
        using var client = Client(provider, server.BaseAddress);

        var (text, error) = await ConsumeAsync(client, Ct);

        Assert.Null(error);
        Assert.Equal("Hello there!", text);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_stream_ending_without_its_terminator_throws_truncated(string provider)
    {
        await using var server = await ReplayServer.StartAsync(Stream(provider, Events(provider).Take(2)));
        using var client = Client(provider, server.BaseAddress);

        var (text, error) = await ConsumeAsync(client, Ct);

        var e = Assert.IsType<OpenModelProtocolException>(error);
        Assert.True(e.IsTruncated);
        Assert.Equal("truncated_stream", e.ErrorCode);
        Assert.Equal(ExpectedRequestId(provider), e.RequestId);
        Assert.Equal("Hello there", text);
        await AssertOneRequestAndReleasedAsync(server);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_connection_cut_mid_stream_throws_truncated_after_the_text(string provider)
    {
        var events = Events(provider);
        int bytes = Encoding.UTF8.GetByteCount(events[0] + events[1]) + 5;
        await using var server = await ReplayServer.StartAsync(Stream(provider, events).CutAfterBytes(bytes));
        using var client = Client(provider, server.BaseAddress);

        var (text, error) = await ConsumeAsync(client, Ct);

        var e = Assert.IsType<OpenModelProtocolException>(error);
        Assert.True(e.IsTruncated);
        Assert.Equal(provider, e.Provider);
        Assert.Equal(ExpectedRequestId(provider), e.RequestId);
        Assert.Equal("Hello there", text);
        await AssertOneRequestAndReleasedAsync(server);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task An_error_inside_the_stream_throws_a_typed_error_after_the_text(string provider)
    {
        string error = IsNdjson(provider)
            ? """{"error":"an error was encountered while running the model"}""" + "\n"
            : """data: {"error":{"code":500,"message":"an error was encountered while running the model","type":"server_error"}}""" + "\n\n";
        await using var server = await ReplayServer.StartAsync(Stream(provider, [.. Events(provider).Take(2), error]));
        using var client = Client(provider, server.BaseAddress);

        var (text, caught) = await ConsumeAsync(client, Ct);

        var e = Assert.IsAssignableFrom<OpenModelException>(caught);
        Assert.NotEqual(OpenModelErrorKind.Protocol, e.Kind);
        Assert.Equal("an error was encountered while running the model", e.ProviderMessage);
        Assert.Equal(ExpectedRequestId(provider), e.RequestId);
        Assert.Equal("Hello there", text);
        await AssertOneRequestAndReleasedAsync(server);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_malformed_chunk_throws_a_protocol_error_quoting_it(string provider)
    {
        string broken = IsNdjson(provider) ? "{\"model\":\"qwen3\",\"message\":{\"con\n" : "data: {\"id\":\"c1\",\"choices\":[{\"delt\n\n";
        await using var server = await ReplayServer.StartAsync(Stream(provider, [Events(provider)[0], broken]));
        using var client = Client(provider, server.BaseAddress);

        var (text, error) = await ConsumeAsync(client, Ct);

        var e = Assert.IsType<OpenModelProtocolException>(error);
        Assert.False(e.IsTruncated);
        Assert.Contains(IsNdjson(provider) ? "\"con" : "\"delt", e.Message, StringComparison.Ordinal);
        Assert.Equal("malformed_response", e.ErrorCode);
        Assert.Equal(ExpectedRequestId(provider), e.RequestId);
        Assert.Equal("Hello", text);
        await AssertOneRequestAndReleasedAsync(server);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_429_before_the_stream_is_a_rate_limit_error_with_the_servers_retry_after(string provider)
    {
        string body = IsNdjson(provider) ? """{"error":"rate limited"}""" : """{"error":{"message":"rate limited","type":"rate_limit_error","code":"rate_limit_exceeded"}}""";
        await using var server = await ReplayServer.StartAsync(ReplayResponse.Json(429, body).WithRetryAfter("7").WithHeader("x-request-id", "req-42"));
        using var client = Client(provider, server.BaseAddress);

        var (_, error) = await ConsumeAsync(client, Ct);

        var e = Assert.IsType<RateLimitedException>(error);
        Assert.Equal(HttpStatusCode.TooManyRequests, e.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), e.RetryAfter);
        Assert.Equal("req-42", e.RequestId);
        Assert.Equal(provider, e.Provider);
        await AssertOneRequestAndReleasedAsync(server);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_503_before_the_stream_is_an_overloaded_error(string provider)
    {
        string body = IsNdjson(provider) ? """{"error":"server busy"}""" : """{"error":{"message":"server busy","type":"unavailable_error","code":503}}""";
        await using var server = await ReplayServer.StartAsync(ReplayResponse.Json(503, body, ("x-request-id", "req-43")));
        using var client = Client(provider, server.BaseAddress);

        var (_, error) = await ConsumeAsync(client, Ct);

        var e = Assert.IsType<ServerOverloadedException>(error);
        Assert.True(e.IsTransient);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, e.StatusCode);
        Assert.Equal("server busy", e.ProviderMessage);
        Assert.Equal("req-43", e.RequestId);
        Assert.Equal(provider, e.Provider);
        await AssertOneRequestAndReleasedAsync(server);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Cancelling_mid_stream_throws_and_releases_the_connection(string provider)
    {
        var events = Events(provider);
        await using var server = await ReplayServer.StartAsync(Stream(provider, events).StallAfterBytes(Encoding.UTF8.GetByteCount(events[0] + events[1])));
        using var client = Client(provider, server.BaseAddress);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var text = new StringBuilder();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: cts.Token))
            {
                text.Append(update.Text);
                if (text.ToString() == "Hello there")
                {
                    await cts.CancelAsync();
                }
            }
        });

        Assert.Equal("Hello there", text.ToString());
        await server.WaitForClientAbortAsync(TimeSpan.FromSeconds(10));
        await server.WaitForActiveConnectionsAsync(0, TimeSpan.FromSeconds(10));
    }
}
