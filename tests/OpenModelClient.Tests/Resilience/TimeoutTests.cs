using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.AI;
using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Tests.Resilience;

/// <summary>Connect, first-chunk, idle and total limits: each ends in a typed error; a long but live stream is never cut.</summary>
public class TimeoutTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly (string, string)[] DeepSeek = [("Provider", "DeepSeek"), ("Model", "deepseek-flash"), ("ApiKey", "sk-test")];

    private static ReplayResponse Stream() => ReplayResponse.FromFixture("llama.cpp", "chat-stream");

    private static async Task<string> ReadAllAsync(IChatClient client)
    {
        var text = string.Empty;
        await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: Ct))
        {
            text += update.Text;
        }

        return text;
    }

    [Fact]
    public async Task A_long_generation_whose_chunks_keep_coming_is_not_cut_by_idle_or_first_chunk_limits()
    {
        // 11 events, 150 ms apart: about 1.6 s in all, far longer than the 600 ms idle limit, never idle that long.
        await using var server = await ReplayServer.StartAsync(Stream().WithDelayBetweenChunks(TimeSpan.FromMilliseconds(150)));
        await using var hosted = HostedClient.Create(server, ("Timeouts:Idle", "00:00:00.600"), ("Timeouts:FirstChunk", "00:00:00.600"));

        Assert.Equal("(@\" uint edge Backgroundatlea Eclipsecept", await ReadAllAsync(hosted.Client));
        Assert.Equal(1, server.RequestCount);
        await server.WaitForClientConnectionsReleasedAsync(Patience);
    }

    [Fact]
    public async Task A_stalled_stream_ends_with_a_truncated_error_naming_the_idle_limit()
    {
        await using var server = await ReplayServer.StartAsync(Stream().StallAfterBytes(600));
        await using var hosted = HostedClient.Create(server, ("Timeouts:Idle", "00:00:00.300"));

        var e = await Assert.ThrowsAsync<OpenModelProtocolException>(() => ReadAllAsync(hosted.Client));

        Assert.True(e.IsTruncated);
        Assert.Contains("Timeouts:Idle", e.Message, StringComparison.Ordinal);
        Assert.Equal("chatcmpl-GfFcxZUS9TuUB14FYkeHWeMVshg6Tvu7", e.RequestId);
        Assert.Equal(1, server.RequestCount);
        await server.WaitForActiveConnectionsAsync(0, Patience);
        await server.WaitForClientConnectionsReleasedAsync(Patience);
    }

    [Fact]
    public async Task No_headers_within_the_first_chunk_limit_is_a_timeout_error()
    {
        await using var server = await ReplayServer.StartAsync(Stream().WithFirstByteDelay(TimeSpan.FromSeconds(20)));
        await using var hosted = HostedClient.Create(server, ("Timeouts:FirstChunk", "00:00:00.300"), ("Retry:MaxAttempts", "1"));

        var e = await Assert.ThrowsAsync<OpenModelException>(() => ReadAllAsync(hosted.Client));

        Assert.Equal(OpenModelErrorKind.Timeout, e.Kind);
        Assert.Equal("first_chunk_timeout", e.ErrorCode);
        Assert.Contains("Timeouts:FirstChunk", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.RequestCount);
        await server.WaitForClientAbortAsync(Patience);
        await server.WaitForActiveConnectionsAsync(0, Patience);
        await server.WaitForClientConnectionsReleasedAsync(Patience);
    }

    [Theory]
    [InlineData("sse")]
    [InlineData("ndjson")]
    [InlineData("json")]
    public async Task A_cold_model_load_within_the_first_chunk_limit_is_waited_for(string kind)
    {
        var (answer, text, settings) = kind switch
        {
            "sse" => (Stream(), "(@\" uint edge Backgroundatlea Eclipsecept", new[] { ("Timeouts:FirstChunk", "00:00:05") }),
            "ndjson" => (ReplayResponse.FromFixture("ollama", "chat-stream-text"), "The answer is 4.", new[] { ("Timeouts:FirstChunk", "00:00:05"), ("Provider", "Ollama"), ("Model", "qwen3") }),
            _ => (ReplayResponse.FromFixture("llama.cpp", "chat-nonstream-length"), "(@\" uint edge Backgroundatlea Eclipsecept", new[] { ("Timeouts:FirstChunk", "00:00:05") }),
        };
        await using var server = await ReplayServer.StartAsync(answer.WithFirstByteDelay(TimeSpan.FromMilliseconds(400)));
        await using var hosted = HostedClient.Create(server, settings);

        Assert.Equal(text, kind == "json" ? (await hosted.Client.GetResponseAsync("hi", cancellationToken: Ct)).Text : await ReadAllAsync(hosted.Client));
        Assert.Equal(1, server.RequestCount);
        await server.WaitForClientConnectionsReleasedAsync(Patience);
    }

    [Fact]
    public async Task DeepSeek_blank_lines_while_queued_keep_a_non_streamed_call_alive_past_both_limits()
    {
        // DeepSeek sends empty lines while a request waits in its queue; here 750 ms of them, 250 ms apart,
        // against 600 ms limits: each line is a sign of life, and the JSON after them is parsed.
        var queued = ReplayResponse.FromFixture("deepseek", "chat-thinking-nonstream-queued").WithChunking(ReplayChunking.PerEvent).WithDelayBetweenChunks(TimeSpan.FromMilliseconds(250));
        await using var server = await ReplayServer.StartAsync(queued);
        await using var hosted = HostedClient.Create(server, [.. DeepSeek, ("Timeouts:FirstChunk", "00:00:00.600"), ("Timeouts:Idle", "00:00:00.600")]);

        var response = await hosted.Client.GetResponseAsync("hi", cancellationToken: Ct);

        Assert.Equal("391", response.Text);
        Assert.Equal(1, server.RequestCount);
        await server.WaitForClientConnectionsReleasedAsync(Patience);
    }

    [Fact]
    public async Task DeepSeek_a_queue_that_falls_silent_for_longer_than_idle_is_a_truncated_error()
    {
        var queued = ReplayResponse.FromFixture("deepseek", "chat-thinking-nonstream-queued").WithChunking(ReplayChunking.PerEvent).WithDelayBetweenChunks(TimeSpan.FromSeconds(3));
        await using var server = await ReplayServer.StartAsync(queued);
        await using var hosted = HostedClient.Create(server, [.. DeepSeek, ("Timeouts:Idle", "00:00:00.400")]);

        var e = await Assert.ThrowsAsync<OpenModelProtocolException>(() => hosted.Client.GetResponseAsync("hi", cancellationToken: Ct));

        Assert.True(e.IsTruncated);
        Assert.Contains("Timeouts:Idle", e.Message, StringComparison.Ordinal);
        Assert.Equal("5c1a2b3d4e5f60718293a4b5c6d7e8f9", e.RequestId);
        Assert.Equal(1, server.RequestCount);
        await server.WaitForClientConnectionsReleasedAsync(Patience);
    }

    [Fact]
    public async Task The_total_budget_bounds_a_slow_stream()
    {
        await using var server = await ReplayServer.StartAsync(Stream().WithDelayBetweenChunks(TimeSpan.FromMilliseconds(200)));
        await using var hosted = HostedClient.Create(server, ("Timeouts:Total", "00:00:00.500"));

        var e = await Assert.ThrowsAsync<OpenModelProtocolException>(() => ReadAllAsync(hosted.Client));

        Assert.True(e.IsTruncated);
        Assert.Contains("Timeouts:Total", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.RequestCount);
        await server.WaitForClientConnectionsReleasedAsync(Patience);
    }

    [Fact]
    public async Task Connection_refused_fails_fast_as_a_connection_error()
    {
        // A port just freed, nobody else's: the retry count below is this test's alone.
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        using var retries = new RetryCounter(port);
        await using var hosted = HostedClient.Create(new Uri($"http://127.0.0.1:{port}"), ("Retry:MaxAttempts", "2"));
        var elapsed = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => hosted.Client.GetResponseAsync("hi", cancellationToken: Ct));

        Assert.Equal(HttpRequestError.ConnectionError, e.HttpRequestError);
        Assert.Equal(1, retries.Count);

        // Refused, not timed out: far inside the 10 s connect timeout (a loose bound; the two attempts take milliseconds).
        Assert.InRange(elapsed.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Defaults_follow_the_provider_kind()
    {
        var local = OpenModelResilienceProfile.For(new OpenModelClientOptions { Provider = OpenModelProvider.LlamaCpp });
        Assert.Equal(TimeSpan.FromSeconds(10), local.Connect);
        Assert.Equal(TimeSpan.FromMinutes(10), local.FirstChunk);
        Assert.Equal(TimeSpan.FromMinutes(2), local.Idle);
        Assert.Equal(Timeout.InfiniteTimeSpan, local.Total);
        Assert.Equal(3, local.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(30), local.MaxRetryAfter);

        var hosted = OpenModelResilienceProfile.For(new OpenModelClientOptions { Provider = OpenModelProvider.DeepSeek });
        Assert.Equal(TimeSpan.FromMinutes(2), hosted.FirstChunk);
        Assert.Equal(TimeSpan.FromMinutes(1), hosted.Idle);
        Assert.Equal(TimeSpan.FromMinutes(30), hosted.Total);
    }
}
