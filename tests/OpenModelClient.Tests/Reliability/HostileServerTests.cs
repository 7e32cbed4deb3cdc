using System.Net;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using static OpenModelClient.Tests.Reliability.HostileWire;

namespace OpenModelClient.Tests.Reliability;

/// <summary>
/// Deliberately misbehaving servers on raw sockets, for every provider, streamed and not: each call ends within its limits in
/// a success or one of the library's typed errors, and says nothing it should not.
/// </summary>
public class HostileServerTests
{
    // Every call here must end well within this; a call still running after it is a hang, and fails the test.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan Limit = TimeSpan.FromMilliseconds(400);
    private static readonly (string, string)[] ShortLimits = [("Timeouts:FirstChunk", "00:00:00.400"), ("Timeouts:Idle", "00:00:00.400")];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string NewKey() => $"sk-hostile-{Guid.NewGuid():N}";

    private static async Task<TException> FailsWith<TException>(IServiceProvider services, bool streamed)
        where TException : Exception
    {
        var client = services.GetRequiredService<IChatClient>();
        return await Assert.ThrowsAsync<TException>(() => CallAsync(client, streamed, Ct).WaitAsync(Bound, Ct));
    }

    [Theory]
    [MemberData(nameof(ProvidersStreamedAndNot), MemberType = typeof(HostileWire))]
    public async Task A_trickle_that_never_completes_a_chunk_is_cut_at_the_first_chunk_limit(string provider, bool streamed)
    {
        // One byte every 40 ms: the answer would take seconds, each byte far inside the 400 ms limits.
        string answer = Answer(provider, streamed, text: new string('x', 200));
        await using var server = RawHttpServer.Start(async x =>
        {
            await x.WriteAsync(Head(200, ContentType(provider, streamed), []));
            await x.TrickleAsync(answer, TimeSpan.FromMilliseconds(40));
        });
        await using var services = Client(provider, server.BaseAddress, NewKey(), null, ShortLimits);

        var e = await FailsWith<OpenModelProtocolException>(services, streamed);

        Assert.True(e.IsTruncated);
        Assert.Contains("Timeouts:FirstChunk", e.Message, StringComparison.Ordinal);
        Assert.Contains("400 ms", e.Message, StringComparison.Ordinal);
        Assert.Equal(GenAiName(provider), e.Provider);
    }

    [Theory]
    [MemberData(nameof(AllProviders), MemberType = typeof(HostileWire))]
    public async Task A_trickle_after_the_first_chunk_is_cut_at_the_idle_limit_after_the_text_that_arrived(string provider)
    {
        var (first, rest) = Split(provider, Answer(provider, streamed: true));
        await using var server = RawHttpServer.Start(async x =>
        {
            await x.WriteAsync(Head(200, ContentType(provider, true), []) + first);
            await x.TrickleAsync(rest, TimeSpan.FromMilliseconds(40));
        });
        await using var services = Client(provider, server.BaseAddress, NewKey(), null, ShortLimits);
        var text = new StringBuilder();

        var e = await Assert.ThrowsAsync<OpenModelProtocolException>(async () =>
        {
            await foreach (var update in services.GetRequiredService<IChatClient>().GetStreamingResponseAsync("hi", cancellationToken: Ct).WithCancellation(Ct))
            {
                text.Append(update.Text);
            }
        }).WaitAsync(Bound, Ct);

        Assert.Equal("Hello", text.ToString());
        Assert.True(e.IsTruncated);
        Assert.Contains("Timeouts:Idle", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AllProviders), MemberType = typeof(HostileWire))]
    public async Task A_slow_stream_whose_chunks_keep_coming_is_never_cut(string provider)
    {
        // Ten pieces 150 ms apart: 1.5 s in all against 400 ms limits, never 400 ms without a complete piece.
        var pieces = Enumerable.Range(0, 10).Select(i => Split(provider, Answer(provider, streamed: true, text: $"p{i}")).First).ToArray();
        string end = Split(provider, Answer(provider, streamed: true)).Remainder;
        await using var server = RawHttpServer.Start(async x =>
        {
            await x.WriteAsync(Head(200, ContentType(provider, true), []));
            foreach (var piece in pieces)
            {
                await x.WriteAsync(piece);
                await Task.Delay(150, x.Stopping);
            }

            await x.WriteAsync(end);
        });
        await using var services = Client(provider, server.BaseAddress, NewKey(), null, ShortLimits);

        var response = await CallAsync(services.GetRequiredService<IChatClient>(), streamed: true, Ct).WaitAsync(Bound, Ct);

        Assert.Equal("p0p1p2p3p4p5p6p7p8p9", response.Text);
    }

    [Theory]
    [MemberData(nameof(ProvidersStreamedAndNot), MemberType = typeof(HostileWire))]
    public async Task A_Content_Length_longer_than_the_body_is_a_truncated_error(string provider, bool streamed)
    {
        string answer = Answer(provider, streamed);
        string sent = streamed ? Split(provider, answer).First : answer[..(answer.Length / 2)];
        await using var server = RawHttpServer.Start(Encoding.UTF8.GetBytes(Head(200, ContentType(provider, streamed), [$"Content-Length: {answer.Length + 500}"]) + sent));
        await using var services = Client(provider, server.BaseAddress, NewKey(), null);

        var e = await FailsWith<OpenModelProtocolException>(services, streamed);

        Assert.True(e.IsTruncated);
        // The generation is never sent twice. A llama.cpp stream is resumable: this server answers each resume GET with the same
        // cut bytes, and the stream gives up after five reopens (each of which delivered bytes) instead of looping until the time limit.
        Assert.Equal(1, server.RequestHeads.Count(h => h.StartsWith("POST ", StringComparison.Ordinal)));
        Assert.Equal(ResumesUpTo(provider, streamed), server.RequestCount - 1);
    }

    private static int ResumesUpTo(string provider, bool streamed) => provider == "LlamaCpp" && streamed ? 5 : 0;

    [Theory]
    [MemberData(nameof(ProvidersStreamedAndNot), MemberType = typeof(HostileWire))]
    public async Task A_Content_Length_shorter_than_the_body_is_a_protocol_error(string provider, bool streamed)
    {
        string answer = Answer(provider, streamed);
        await using var server = RawHttpServer.Start(Encoding.UTF8.GetBytes(Head(200, ContentType(provider, streamed), [$"Content-Length: {answer.Length - 20}"]) + answer));
        await using var services = Client(provider, server.BaseAddress, NewKey(), null);

        await FailsWith<OpenModelProtocolException>(services, streamed);
    }

    [Theory]
    [MemberData(nameof(ProvidersStreamedAndNot), MemberType = typeof(HostileWire))]
    public async Task Chunked_encoding_cut_mid_chunk_or_with_a_broken_size_line_is_a_protocol_error(string provider, bool streamed)
    {
        string answer = Answer(provider, streamed);
        string head = Head(200, ContentType(provider, streamed), ["Transfer-Encoding: chunked"]);
        string cut = $"{(answer.Length + 100).ToString("x", System.Globalization.CultureInfo.InvariantCulture)}\r\n{answer[..(answer.Length / 2)]}";
        await using var cutServer = RawHttpServer.Start(Encoding.UTF8.GetBytes(head + cut));
        await using var brokenServer = RawHttpServer.Start(Encoding.UTF8.GetBytes(head + Chunk(answer[..10]) + "zz\r\n" + answer[10..]));
        // These raw servers answer any request, a resume GET included, with the same broken bytes. Without resumption the cut is a
        // truncated stream. With it (llama.cpp), the reopened stream repeats the start of the answer after half an event, which reads
        // as a malformed chunk or, once the reopens run out, as the truncation: a typed protocol error either way, within the bound.
        await using var cutClient = Client(provider, cutServer.BaseAddress, NewKey(), null, ("ResumableStreams", "false"));
        await using var resumingCutClient = Client(provider, cutServer.BaseAddress, NewKey(), null);
        await using var brokenClient = Client(provider, brokenServer.BaseAddress, NewKey(), null);

        Assert.True((await FailsWith<OpenModelProtocolException>(cutClient, streamed)).IsTruncated);
        await FailsWith<OpenModelProtocolException>(resumingCutClient, streamed);
        Assert.Equal(2, cutServer.RequestHeads.Count(h => h.StartsWith("POST ", StringComparison.Ordinal)));
        Assert.InRange(cutServer.RequestCount - 2, 0, ResumesUpTo(provider, streamed));
        await FailsWith<OpenModelProtocolException>(brokenClient, streamed);
    }

    [Theory]
    [MemberData(nameof(ProvidersStreamedAndNot), MemberType = typeof(HostileWire))]
    public async Task A_gzip_bomb_is_refused_at_the_configured_limit(string provider, bool streamed)
    {
        // 16 MiB once inflated, a few KiB on the wire; the limits are 64 KiB.
        byte[] bomb = GzipBomb(streamed);
        byte[] response = [.. Encoding.ASCII.GetBytes(Head(200, ContentType(provider, streamed), ["Content-Encoding: gzip", $"Content-Length: {bomb.Length}"])), .. bomb];
        await using var server = RawHttpServer.Start(response);
        await using var services = Client(provider, server.BaseAddress, NewKey(), null, ("Limits:MaxLineBytes", "65536"), ("Limits:MaxBodyBytes", "65536"));

        var e = await FailsWith<OpenModelProtocolException>(services, streamed);

        Assert.Contains("65536", e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, bool, string> EchoCases()
    {
        var data = new TheoryData<string, bool, string>();
        foreach (var provider in Providers)
        {
            foreach (var streamed in new[] { true, false })
            {
                foreach (var echo in new[] { "json-401", "text-500", "location", "request-id", "invalid-header", "in-stream-error", "malformed-quote", "cut-quote" })
                {
                    if (!streamed && echo is "in-stream-error" or "malformed-quote")
                    {
                        continue;
                    }

                    data.Add(provider, streamed, echo);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EchoCases))]
    public async Task A_key_the_server_echoes_appears_in_no_error_log_span_metric_or_metadata(string provider, bool streamed, string echo)
    {
        string key = NewKey();
        string body = echo switch
        {
            "json-401" => Http(401, "application/json", $$$"""{"error":{"message":"Invalid API key. You sent: Authorization: Bearer {{{key}}}","type":"authentication_error","code":"{{{key}}}"}}"""),
            "text-500" => Http(500, "text/plain", $"proxy error; request headers were: Authorization: Bearer {key}\r\nX-Api-Key: {key}"),
            "location" => Http(302, "text/plain", string.Empty, $"Location: http://elsewhere.example/v1/chat/completions?api_key={key}"),
            "request-id" => Http(429, "application/json", $$$"""{"error":{"message":"slow down {{{key}}}"}}""", $"x-request-id: {key}", "Retry-After: 3600"),
            "invalid-header" => $"HTTP/1.1 200 OK\r\nBearer {key}\r\nContent-Length: 0\r\n\r\n",
            "in-stream-error" => Head(200, ContentType(provider, true), []) + (IsNdjson(provider)
                ? $$"""{"error":"bad key {{key}}"}""" + "\n"
                : Sse($$$"""{"error":{"code":500,"message":"bad key {{{key}}}","type":"server_error"}}""")),
            "malformed-quote" => Head(200, ContentType(provider, true), []) + (IsNdjson(provider) ? $"{{\"Authorization\": {key}\n" : Sse($"{{\"Authorization\": {key}")),
            // Long enough that the quote of the first 200 characters ends in the middle of the key.
            _ => Head(200, ContentType(provider, streamed), []) + (streamed && !IsNdjson(provider) ? Sse($"{{not json {new string('x', 180)}{key}") : $"{{not json {new string('x', 180)}{key}"),
        };
        await using var server = RawHttpServer.Start(Encoding.UTF8.GetBytes(body));
        using var capture = new TelemetryCapture();
        await using var services = Client(provider, server.BaseAddress, key, capture);
        var client = services.GetRequiredService<IChatClient>();

        var e = await Assert.ThrowsAnyAsync<HttpRequestException>(() => CallAsync(client, streamed, Ct).WaitAsync(Bound, Ct));

        var openModel = Assert.IsAssignableFrom<OpenModelException>(e);
        Assert.Equal(GenAiName(provider), openModel.Provider);
        var metadata = client.GetService<ChatClientMetadata>();
        string[] everything =
        [
            e.Message, e.ToString(), openModel.ProviderMessage ?? string.Empty, openModel.ErrorCode ?? string.Empty, openModel.RequestId ?? string.Empty,
            (e as OpenModelProtocolException)?.ReceivedPrefix ?? string.Empty, $"{metadata?.ProviderName} {metadata?.ProviderUri} {metadata?.DefaultModelId}",
            .. capture.Texts,
        ];
        foreach (var text in everything)
        {
            Assert.False(
                text.Contains(key[11..19], StringComparison.Ordinal) || text.Contains("sk-hos", StringComparison.Ordinal) || text.Contains("Bearer sk", StringComparison.OrdinalIgnoreCase),
                $"the key leaked into: {text}");
        }
    }

    [Theory]
    [MemberData(nameof(ProvidersStreamedAndNot), MemberType = typeof(HostileWire))]
    public async Task A_created_time_out_of_range_is_no_date_rather_than_a_crash(string provider, bool streamed)
    {
        string created = IsNdjson(provider) ? "99999-01-01T00:00:00Z" : "99999999999999";
        string answer = Answer(provider, streamed, created: created);
        await using var server = RawHttpServer.Start(Encoding.UTF8.GetBytes(Http(200, ContentType(provider, streamed), answer)));
        await using var services = Client(provider, server.BaseAddress, NewKey(), null);

        try
        {
            var response = await CallAsync(services.GetRequiredService<IChatClient>(), streamed, Ct).WaitAsync(Bound, Ct);
            Assert.Equal("Hello", response.Text);
            Assert.Null(response.CreatedAt);
        }
        catch (OpenModelProtocolException)
        {
            // Ollama's created_at is a date string: one no date can hold is a malformed line, reported as such.
            Assert.True(IsNdjson(provider));
        }
    }

    [Theory]
    [MemberData(nameof(ProvidersStreamedAndNot), MemberType = typeof(HostileWire))]
    public async Task Token_counts_at_the_limit_never_add_up_to_a_negative_total(string provider, bool streamed)
    {
        string answer = Answer(provider, streamed, usage: $$"""{"prompt_tokens":{{long.MaxValue}},"completion_tokens":{{long.MaxValue}}}""");
        await using var server = RawHttpServer.Start(Encoding.UTF8.GetBytes(Http(200, ContentType(provider, streamed), answer)));
        await using var services = Client(provider, server.BaseAddress, NewKey(), null);

        var response = await CallAsync(services.GetRequiredService<IChatClient>(), streamed, Ct).WaitAsync(Bound, Ct);

        Assert.Equal(long.MaxValue, response.Usage?.InputTokenCount);
        Assert.Equal(long.MaxValue, response.Usage?.OutputTokenCount);
        Assert.True(response.Usage?.TotalTokenCount is null or >= 0, $"total {response.Usage?.TotalTokenCount}");
    }

    [Theory]
    [MemberData(nameof(ProvidersStreamedAndNot), MemberType = typeof(HostileWire))]
    public async Task A_tool_call_without_a_name_is_a_protocol_error_never_a_call(string provider, bool streamed)
    {
        // A fragment for index 3, which no fragment opened; or a whole call with arguments and no function name.
        string calls = IsNdjson(provider)
            ? """[{"function":{"arguments":{"path":"/etc/passwd"}}}]"""
            : streamed ? """[{"index":3,"function":{"arguments":"{\"path\":\"/etc/passwd\"}"}}]""" : """[{"id":"c","type":"function","function":{"arguments":"{\"path\":\"/etc/passwd\"}"}}]""";
        string answer = Answer(provider, streamed, text: string.Empty, toolCalls: calls);
        await using var server = RawHttpServer.Start(Encoding.UTF8.GetBytes(Http(200, ContentType(provider, streamed), answer)));
        await using var services = Client(provider, server.BaseAddress, NewKey(), null);

        var e = await FailsWith<OpenModelProtocolException>(services, streamed);

        Assert.Contains("no function name", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ProvidersStreamedAndNot), MemberType = typeof(HostileWire))]
    public async Task A_Retry_After_beyond_the_header_parser_ends_the_call_at_once(string provider, bool streamed)
    {
        await using var server = RawHttpServer.Start(Encoding.UTF8.GetBytes(Http(429, "application/json", """{"error":{"message":"quota","type":"rate_limit_error"}}""", "Retry-After: 99999999999")));
        await using var services = Client(provider, server.BaseAddress, NewKey(), null);

        var e = await FailsWith<RateLimitedException>(services, streamed);

        Assert.Equal(1, server.RequestCount);
        Assert.True(e.RetryAfter >= TimeSpan.FromSeconds(99999999999), $"RetryAfter {e.RetryAfter}");
    }

    [Theory]
    [MemberData(nameof(ProvidersStreamedAndNot), MemberType = typeof(HostileWire))]
    public async Task Headers_past_the_parser_limits_are_a_protocol_error(string provider, bool streamed)
    {
        string answer = Answer(provider, streamed);
        await using var longHeader = RawHttpServer.Start(Encoding.UTF8.GetBytes(Http(200, ContentType(provider, streamed), answer, $"X-Padding: {new string('p', 100_000)}")));
        await using var hugeLength = RawHttpServer.Start(Encoding.UTF8.GetBytes(Head(200, ContentType(provider, streamed), [$"Content-Length: {long.MaxValue}"]) + answer[..(answer.Length / 2)]));
        await using var longClient = Client(provider, longHeader.BaseAddress, NewKey(), null, ("Retry:MaxAttempts", "1"));
        await using var hugeClient = Client(provider, hugeLength.BaseAddress, NewKey(), null, ("Retry:MaxAttempts", "1"));

        await FailsWith<OpenModelProtocolException>(longClient, streamed);
        await FailsWith<OpenModelProtocolException>(hugeClient, streamed);
    }

    [Theory]
    [MemberData(nameof(ProvidersStreamedAndNot), MemberType = typeof(HostileWire))]
    public async Task A_500_that_describes_the_output_is_not_retried_and_a_502_is(string provider, bool streamed)
    {
        const string Format = """{"error":{"code":500,"message":"the model produced output that does not match the expected format","type":"server_error"}}""";
        await using var failing = RawHttpServer.Start(Encoding.UTF8.GetBytes(Http(500, "application/json", Format)));
        int calls = 0;
        await using var flaky = RawHttpServer.Start(x => x.WriteAsync(Interlocked.Increment(ref calls) == 1
            ? Http(502, "text/plain", "bad gateway")
            : Http(200, ContentType(provider, streamed), Answer(provider, streamed))));
        await using var failingClient = Client(provider, failing.BaseAddress, NewKey(), null);
        await using var flakyClient = Client(provider, flaky.BaseAddress, NewKey(), null);

        var e = await FailsWith<OpenModelException>(failingClient, streamed);
        var response = await CallAsync(flakyClient.GetRequiredService<IChatClient>(), streamed, Ct).WaitAsync(Bound, Ct);

        Assert.Equal(OpenModelErrorKind.ServerError, e.Kind);
        Assert.Equal(1, failing.RequestCount);
        Assert.Equal("Hello", response.Text);
        Assert.Equal(2, flaky.RequestCount);
    }

    [Theory]
    [MemberData(nameof(AllProviders), MemberType = typeof(HostileWire))]
    public async Task Leaving_a_stream_early_closes_its_connection_at_once(string provider)
    {
        await AssertLeavingClosesTheConnectionAsync(provider, endpoint =>
        {
            var built = Client(provider, endpoint, NewKey(), null);
            return (built.GetRequiredService<IChatClient>(), built);
        });
    }

    [Theory]
    [InlineData("LlamaCpp")]
    [InlineData("Ollama")]
    public async Task Leaving_a_stream_early_closes_the_connection_of_a_core_client_with_its_own_handler_too(string provider)
    {
        await AssertLeavingClosesTheConnectionAsync(provider, endpoint =>
        {
            IChatClient client = provider == "Ollama" ? new OllamaChatClient(endpoint, "m") : new LlamaCppChatClient(endpoint);
            return (client, client);
        });
    }

    [Fact]
    public async Task A_core_client_reads_a_Retry_After_beyond_the_header_parser_as_the_long_wait_it_is()
    {
        await using var server = RawHttpServer.Start(Encoding.UTF8.GetBytes(Http(429, "application/json", """{"error":{"message":"quota"}}""", "Retry-After: 99999999999")));
        using var client = new LlamaCppChatClient(server.BaseAddress);

        var e = await Assert.ThrowsAsync<RateLimitedException>(() => client.GetResponseAsync("hi", cancellationToken: Ct).WaitAsync(Bound, Ct));

        Assert.Equal(TimeSpan.FromSeconds(99999999999), e.RetryAfter);
    }

    [Theory]
    [InlineData("""{"tokens":[99999999999]}""")]
    [InlineData("""{"tokens":[{"id":4294967297,"piece":"a"}]}""")]
    [InlineData("""{"tokens":[{"id":1,"piece":[300]}]}""")]
    public async Task Native_llama_cpp_token_numbers_out_of_range_are_protocol_errors(string body)
    {
        await using var server = RawHttpServer.Start(Encoding.UTF8.GetBytes(Http(200, "application/json", body)));
        using var llama = new LlamaCppServer(server.BaseAddress);

        await Assert.ThrowsAsync<OpenModelProtocolException>(() => llama.TokenizeWithPiecesAsync("hi", cancellationToken: Ct).WaitAsync(Bound, Ct));
    }

    [Fact]
    public async Task A_native_llama_cpp_embedding_value_out_of_range_is_a_protocol_error()
    {
        await using var server = RawHttpServer.Start(Encoding.UTF8.GetBytes(Http(200, "application/json", """[{"index":0,"embedding":[[1e999,0.5]]}]""")));
        using var llama = new LlamaCppServer(server.BaseAddress);

        await Assert.ThrowsAsync<OpenModelProtocolException>(() => llama.EmbedTokensAsync("hi", Ct).WaitAsync(Bound, Ct));
    }

    // The server finishes the response properly once the caller has left. A client that read the rest of an abandoned response
    // to reuse the connection would keep it open in its pool (and llama-server would keep generating); it must close it instead.
    private static async Task AssertLeavingClosesTheConnectionAsync(string provider, Func<Uri, (IChatClient Client, IDisposable Owner)> create)
    {
        var (first, rest) = Split(provider, Answer(provider, streamed: true));
        var callerLeft = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var closed = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = RawHttpServer.Start(async x =>
        {
            await x.WriteAsync(Head(200, ContentType(provider, true), ["Transfer-Encoding: chunked"], keepAlive: true) + Chunk(first));
            await callerLeft.Task.WaitAsync(Bound, x.Stopping);
            try
            {
                await x.WriteAsync(Chunk(rest) + "0\r\n\r\n");
            }
            catch (IOException)
            {
                // Already closed: what a client that does not drain does.
            }

            closed.TrySetResult(await x.WaitForClientCloseAsync(TimeSpan.FromSeconds(3)));
        });
        var (client, owner) = create(server.BaseAddress);
        using var ownerScope = owner;

        await foreach (var update in client.GetStreamingResponseAsync("hi", cancellationToken: Ct).WithCancellation(Ct))
        {
            Assert.Equal("Hello", update.Text);
            break;
        }

        callerLeft.SetResult();
        Assert.True(await closed.Task.WaitAsync(Bound, Ct), "the abandoned connection stayed open");
    }

    [Theory]
    [MemberData(nameof(AllProviders), MemberType = typeof(HostileWire))]
    public async Task Timeouts_and_server_errors_name_the_provider_as_its_spans_do(string provider)
    {
        await using var silent = RawHttpServer.Start(x => Task.Delay(Bound, x.Stopping));
        await using var busy = RawHttpServer.Start(Encoding.UTF8.GetBytes(Http(503, "application/json", """{"error":{"message":"busy"}}""")));
        await using var silentClient = Client(provider, silent.BaseAddress, NewKey(), null, ("Timeouts:FirstChunk", "00:00:00.200"), ("Retry:MaxAttempts", "1"));
        await using var busyClient = Client(provider, busy.BaseAddress, NewKey(), null, ("Retry:MaxAttempts", "1"));

        var timeout = await FailsWith<OpenModelException>(silentClient, streamed: true);
        var overloaded = await FailsWith<ServerOverloadedException>(busyClient, streamed: false);

        string expected = silentClient.GetRequiredService<IChatClient>().GetService<ChatClientMetadata>()!.ProviderName!;
        Assert.Equal(GenAiName(provider), expected);
        Assert.Equal(expected, timeout.Provider);
        Assert.Equal(expected, overloaded.Provider);
        Assert.Equal("first_chunk_timeout", timeout.ErrorCode);
        Assert.Contains("200 ms", timeout.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AllProviders), MemberType = typeof(HostileWire))]
    public async Task A_stream_cut_by_the_total_limit_says_so_in_readable_units(string provider)
    {
        var (first, _) = Split(provider, Answer(provider, streamed: true));
        await using var server = RawHttpServer.Start(async x =>
        {
            await x.WriteAsync(Head(200, ContentType(provider, true), []));
            for (int i = 0; i < 100; i++)
            {
                await x.WriteAsync(first);
                await Task.Delay(50, x.Stopping);
            }
        });
        await using var services = Client(provider, server.BaseAddress, NewKey(), null, ("Timeouts:Total", "00:00:00.500"));

        var e = await FailsWith<OpenModelProtocolException>(services, streamed: true);

        Assert.True(e.IsTruncated);
        Assert.Contains("total limit of 500 ms", e.Message, StringComparison.Ordinal);
        Assert.Contains("Timeouts:Total", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("00:00:00", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retries_above_the_breaker_threshold_still_surface_the_servers_own_error()
    {
        await using var server = RawHttpServer.Start(Encoding.UTF8.GetBytes(Http(503, "application/json", """{"error":{"message":"still loading the model"}}""")));
        await using var services = Client("LlamaCpp", server.BaseAddress, NewKey(), null, ("Retry:MaxAttempts", "7"), ("Retry:BaseDelay", "00:00:00.010"));

        var e = await FailsWith<ServerOverloadedException>(services, streamed: false);

        Assert.Equal("still loading the model", e.ProviderMessage);
        Assert.NotEqual("circuit_open", e.ErrorCode);
        Assert.Equal(7, server.RequestCount);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, e.StatusCode);
    }
}
