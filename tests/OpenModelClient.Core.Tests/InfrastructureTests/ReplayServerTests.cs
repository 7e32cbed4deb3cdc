using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Tests.InfrastructureTests;

public sealed class ReplayServerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public static TheoryData<string> LlamaCppScenarios => new(HttpTranscript.Scenarios("llama.cpp"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Replays_a_json_fixture_with_exact_status_headers_and_body()
    {
        var transcript = HttpTranscript.Load("llama.cpp", "error-400-exceed-context-nonstream");
        await using var server = await ReplayServer.StartAsync(ReplayResponse.FromTranscript(transcript));
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        using var response = await client.PostAsync("v1/chat/completions", new ByteArrayContent(transcript.RequestBody!), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Bad Request", response.ReasonPhrase);
        Assert.Equal("llama.cpp", Assert.Single(response.Headers.GetValues("Server")));
        Assert.Equal("", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(transcript.Body.Length, response.Content.Headers.ContentLength);
        Assert.Equal(transcript.Body, await response.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task Sends_transcript_headers_verbatim_on_the_wire()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.FromFixture("llama.cpp", "health-ok"));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port, Ct);
        var stream = tcp.GetStream();
        await stream.WriteAsync("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"u8.ToArray(), Ct);
        using var wire = new MemoryStream();
        await stream.CopyToAsync(wire, Ct);
        var text = Encoding.Latin1.GetString(wire.ToArray());

        Assert.StartsWith("HTTP/1.1 200 OK\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\r\nServer: llama.cpp\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\r\nAccess-Control-Allow-Origin: \r\n", text, StringComparison.Ordinal);
        Assert.Contains("\r\nContent-Length: 15\r\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Keep-Alive", text, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("\r\n\r\n{\"status\":\"ok\"}", text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(LlamaCppScenarios))]
    public async Task Every_llama_cpp_fixture_replays_byte_identical(string scenario)
    {
        var transcript = HttpTranscript.Load("llama.cpp", scenario);
        await using var server = await ReplayServer.StartAsync(ReplayResponse.FromTranscript(transcript));
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        using var request = new HttpRequestMessage(new HttpMethod(transcript.RequestMethod!), transcript.RequestPath!.TrimStart('/'));
        if (transcript.RequestBody is { } body)
        {
            request.Content = new ByteArrayContent(body);
        }

        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(transcript.StatusCode, (int)response.StatusCode);
        Assert.Equal(transcript.ReasonPhrase, response.ReasonPhrase);
        Assert.Equal(transcript.Body, await response.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(transcript.Header("Content-Type"), response.Content.Headers.ContentType?.ToString());
        Assert.Equal(transcript.Header("Transfer-Encoding") == "chunked", response.Headers.TransferEncodingChunked == true);
        var recorded = Assert.Single(server.Requests);
        Assert.Equal(transcript.RequestMethod, recorded.Method);
        Assert.Equal(transcript.RequestPath, recorded.PathAndQuery);
        Assert.Equal(transcript.RequestBody ?? [], recorded.Body);
    }

    [Fact]
    public async Task Streams_an_sse_fixture_byte_identical_over_several_reads()
    {
        var transcript = HttpTranscript.Load("llama.cpp", "chat-stream");
        await using var server = await ReplayServer.StartAsync(
            ReplayResponse.FromTranscript(transcript).WithDelayBetweenChunks(TimeSpan.FromMilliseconds(5)));
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = new ByteArrayContent(transcript.RequestBody!) };

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        var (received, reads, error) = await ReadAllAsync(response);

        Assert.Null(error);
        Assert.Equal(transcript.Body, received);
        Assert.True(reads > 1, $"expected several reads, got {reads}");
        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("chat-stream", 500, ReplayChunking.PerEvent)] // chunked framing
    [InlineData("chat-stream", 37, ReplayChunking.PerByte)]
    [InlineData("props", 1000, ReplayChunking.Whole)] // Content-Length framing
    [InlineData("props", 9, ReplayChunking.PerByte)]
    [InlineData("props", 0, ReplayChunking.Whole)]
    public async Task CutAfterBytes_delivers_exactly_the_prefix_then_fails_the_read(string scenario, int bytes, ReplayChunking chunking)
    {
        var transcript = HttpTranscript.Load("llama.cpp", scenario);
        await using var server = await ReplayServer.StartAsync(ReplayResponse.FromTranscript(transcript).WithChunking(chunking).CutAfterBytes(bytes));
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        using var response = await client.GetAsync("x", HttpCompletionOption.ResponseHeadersRead, Ct);
        var (received, _, error) = await ReadAllAsync(response);

        Assert.IsAssignableFrom<IOException>(error);
        Assert.Equal(transcript.Body.AsSpan(0, bytes).ToArray(), received);
        Assert.Equal(0, server.ClientAbortedRequests);
    }

    [Fact]
    public async Task CutAfterBytes_fails_a_buffered_request()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.FromFixture("llama.cpp", "chat-stream").CutAfterBytes(100));
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("x", Ct));
    }

    [Fact]
    public async Task ResetBeforeHeaders_fails_SendAsync_without_a_client_retry()
    {
        var reset = ReplayResponse.FromFixture("llama.cpp", "health-ok").ResetBeforeHeaders();
        await using var server = await ReplayServer.StartAsync(reset, ReplayResponse.Json(200, "{}"), reset, ReplayResponse.Json(200, "{}"));
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("a", Ct));
        Assert.Equal("{}", await client.GetStringAsync("b", Ct));
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("c", Ct)); // on the reused connection

        Assert.Equal(["/a", "/b", "/c"], server.Requests.Select(r => r.PathAndQuery));
        Assert.Equal(1, server.PendingResponses);
    }

    [Fact]
    public async Task WithFirstByteDelay_holds_back_the_headers()
    {
        var delay = TimeSpan.FromMilliseconds(300);
        await using var server = await ReplayServer.StartAsync(ReplayResponse.FromFixture("llama.cpp", "chat-stream").WithFirstByteDelay(delay));
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        var clock = Stopwatch.StartNew();
        using var response = await client.GetAsync("x", HttpCompletionOption.ResponseHeadersRead, Ct);

        Assert.True(clock.Elapsed >= delay * 0.8, $"headers after {clock.Elapsed}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task StallAfterBytes_then_client_cancellation_counts_an_abort_and_releases_the_connection()
    {
        var transcript = HttpTranscript.Load("llama.cpp", "chat-stream");
        await using var server = await ReplayServer.StartAsync(ReplayResponse.FromTranscript(transcript).StallAfterBytes(200));
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        var response = await client.GetAsync("x", HttpCompletionOption.ResponseHeadersRead, Ct);
        var stream = await response.Content.ReadAsStreamAsync(Ct);
        var received = await ReadPrefixAsync(stream, 200);
        Assert.Equal(transcript.Body.AsSpan(0, 200).ToArray(), received);
        Assert.Equal(1, server.ActiveConnections);

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stream.ReadAsync(new byte[100], cancel.Token).AsTask());
        response.Dispose();

        await server.WaitForClientAbortAsync(Patience);
        await server.WaitForActiveConnectionsAsync(0, Patience);
        Assert.Equal(1, server.ClientAbortedRequests);
    }

    [Fact]
    public async Task Dispose_releases_a_stalled_response_and_the_client_sees_an_error()
    {
        var server = await ReplayServer.StartAsync(ReplayResponse.FromFixture("llama.cpp", "chat-stream").StallAfterBytes(10));
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        using var response = await client.GetAsync("x", HttpCompletionOption.ResponseHeadersRead, Ct);
        var stream = await response.Content.ReadAsStreamAsync(Ct);
        await ReadPrefixAsync(stream, 10);

        await server.DisposeAsync().AsTask().WaitAsync(Patience, Ct);

        await Assert.ThrowsAnyAsync<IOException>(() => stream.ReadAsync(new byte[100], Ct).AsTask());
        Assert.Equal(0, server.ClientAbortedRequests);
    }

    [Fact]
    public async Task Serves_the_queue_in_order_then_answers_599()
    {
        await using var server = await ReplayServer.StartAsync(
            ReplayResponse.Json(200, """{"n":1}"""),
            ReplayResponse.Sse("data: 2\n\n"),
            ReplayResponse.Ndjson("{\"n\":3}\n", status: 201));
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        Assert.Equal("""{"n":1}""", await client.GetStringAsync("a", Ct));
        Assert.Equal("data: 2\n\n", await client.GetStringAsync("b", Ct));
        using var third = await client.GetAsync("c", Ct);
        Assert.Equal(HttpStatusCode.Created, third.StatusCode);
        Assert.Equal("application/x-ndjson", third.Content.Headers.ContentType?.MediaType);
        using var fourth = await client.GetAsync("d?x=1", Ct);

        Assert.Equal(599, (int)fourth.StatusCode);
        Assert.Contains("replay server: no response queued for GET /d?x=1", await fourth.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(["/a", "/b", "/c", "/d?x=1"], server.Requests.Select(r => r.PathAndQuery));
        Assert.Equal(0, server.PendingResponses);
    }

    [Fact]
    public async Task ForRequest_routes_by_method_and_path_before_the_queue()
    {
        await using var server = await ReplayServer.StartAsync(
            ReplayResponse.Json(200, "\"queued\""),
            ReplayResponse.Json(200, "\"models\"").ForRequest("GET", "/v1/models"),
            ReplayResponse.Json(200, "\"posted\"").ForRequest("post", "/v1/models"));
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        Assert.Equal("\"posted\"", await (await client.PostAsync("v1/models", new StringContent("{}"), Ct)).Content.ReadAsStringAsync(Ct));
        Assert.Equal("\"models\"", await client.GetStringAsync("v1/models", Ct));
        Assert.Equal("\"queued\"", await client.GetStringAsync("v1/models", Ct));
        using var exhausted = await client.GetAsync("v1/models", Ct);
        Assert.Equal(599, (int)exhausted.StatusCode);
    }

    [Fact]
    public async Task Records_method_target_headers_and_body()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.Json(200, "{}"), ReplayResponse.Json(200, "{}"));
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions?a=1&b=%20")
        {
            Content = new StringContent("""{"model":"tiny","stream":true}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "test-key-123");
        request.Headers.Add("X-Api-Key", "k");

        using var response = await client.SendAsync(request, Ct);
        using var second = await client.PostAsync("plain", new StringContent("not json"), Ct);

        var recorded = server.Requests[0];
        Assert.Equal("POST", recorded.Method);
        Assert.Equal("/v1/chat/completions?a=1&b=%20", recorded.PathAndQuery);
        Assert.Equal("Bearer test-key-123", recorded.Headers["authorization"]);
        Assert.Equal("k", recorded.Headers["X-API-KEY"]);
        Assert.Equal("application/json; charset=utf-8", recorded.Headers["Content-Type"]);
        Assert.Equal("""{"model":"tiny","stream":true}"""u8.ToArray(), recorded.Body);
        Assert.Equal("""{"model":"tiny","stream":true}""", recorded.BodyText);
        JsonAssert.Equal("""{"stream":true,"model":"tiny"}""", recorded.BodyJson);
        Assert.Null(server.Requests[1].BodyJson);
        Assert.Equal("not json", server.Requests[1].BodyText);
    }

    [Fact]
    public async Task Headers_can_be_added_replaced_and_removed()
    {
        await using var server = await ReplayServer.StartAsync(
            ReplayResponse.FromFixture("llama.cpp", "health-503-loading").WithRetryAfter("2").WithHeader("Server", "other"),
            ReplayResponse.FromFixture("llama.cpp", "health-ok").WithoutHeader("Content-Length").WithStatus(502, "Bad Gateway"));
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        using var first = await client.GetAsync("health", Ct);
        using var second = await client.GetAsync("health", Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), first.Headers.RetryAfter?.Delta);
        Assert.Equal("other", Assert.Single(first.Headers.GetValues("Server")));
        Assert.Equal(HttpStatusCode.BadGateway, second.StatusCode);
        Assert.True(second.Headers.TransferEncodingChunked);
        Assert.Equal("{\"status\":\"ok\"}", await second.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task A_response_kestrel_refuses_fails_loudly()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.Json(200, "{}").WithHeader("X-Bad", "caf\u00e9"));
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        using var response = await client.GetAsync("x", Ct);

        Assert.Equal(599, (int)response.StatusCode);
        Assert.Contains("replay server: could not send", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Counts_tcp_connections_not_requests()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.Json(200, "1"), ReplayResponse.Json(200, "2"));
        using (var client = new HttpClient { BaseAddress = server.BaseAddress })
        {
            await client.GetStringAsync("a", Ct);
            await client.GetStringAsync("b", Ct);
            Assert.Equal(1, server.ActiveConnections); // kept alive and reused
        }

        await server.WaitForActiveConnectionsAsync(0, Patience);
        var timeout = await Assert.ThrowsAsync<TimeoutException>(() => server.WaitForActiveConnectionsAsync(3, TimeSpan.FromMilliseconds(50)));
        Assert.Contains("there are 0", timeout.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sees_a_client_connection_in_use_while_a_response_is_held_and_released_once_it_is_disposed()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.Sse("data: {}\n\n").StallAfterBytes(4), ReplayResponse.Json(200, "{}"));
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        var held = await client.GetAsync("a", HttpCompletionOption.ResponseHeadersRead, Ct);
        await Assert.ThrowsAsync<TimeoutException>(() => server.WaitForClientConnectionsReleasedAsync(TimeSpan.FromMilliseconds(300)));
        Assert.Equal(1, server.ClientConnections.Active);

        held.Dispose();
        await server.WaitForClientConnectionsReleasedAsync(Patience);

        // A fully read response returns its connection to the pool: released, and still open.
        using var read = await client.GetAsync("b", Ct);
        await server.WaitForClientConnectionsReleasedAsync(Patience);
        Assert.Equal(1, server.ClientConnections.Idle);
    }

    [Fact]
    public async Task Signals_each_request_as_it_arrives()
    {
        await using var server = await ReplayServer.StartAsync(ReplayResponse.Json(200, "{}"), ReplayResponse.Json(200, "{}"));
        using var client = new HttpClient { BaseAddress = server.BaseAddress };

        var second = server.WaitForRequestsAsync(2, Patience);
        await client.GetStringAsync("a", Ct);
        Assert.False(second.IsCompleted);
        await client.GetStringAsync("b", Ct);
        await second;
        await Assert.ThrowsAsync<TimeoutException>(() => server.WaitForRequestsAsync(3, TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task Starts_many_servers_in_parallel_on_distinct_ports()
    {
        var servers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => ReplayServer.StartAsync(ReplayResponse.Json(200, i.ToString(CultureInfo.InvariantCulture)))));
        try
        {
            Assert.Equal(8, servers.Select(s => s.BaseAddress.Port).Distinct().Count());
            using var client = new HttpClient();
            for (var i = 0; i < servers.Length; i++)
            {
                Assert.Equal(i.ToString(CultureInfo.InvariantCulture), await client.GetStringAsync(servers[i].BaseAddress, Ct));
            }
        }
        finally
        {
            await Task.WhenAll(servers.Select(s => s.DisposeAsync().AsTask()));
        }
    }

    private static async Task<(byte[] Received, int Reads, Exception? Error)> ReadAllAsync(HttpResponseMessage response)
    {
        using var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        var reads = 0;
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(Ct);
            int read;
            while ((read = await stream.ReadAsync(buffer, Ct)) > 0)
            {
                reads++;
                received.Write(buffer, 0, read);
            }

            return (received.ToArray(), reads, null);
        }
        catch (IOException e)
        {
            return (received.ToArray(), reads, e);
        }
    }

    private static async Task<byte[]> ReadPrefixAsync(Stream stream, int count)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer, Ct);
        return buffer;
    }
}
