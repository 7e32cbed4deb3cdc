using System.Net;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Samples.Tests;

/// <summary>The WebChat app's HTTP surface, without a browser: the SSE stream, keyed profiles, failover and telemetry.</summary>
public sealed class WebChatApiTests
{
    [Fact]
    public async Task PostChat_KeyedProfile_StreamsTextThenUsageAsServerSentEvents()
    {
        await using var server = await ReplayServer.StartAsync(Replay.Fixture("llama.cpp", "chat-stream-include-usage"));
        await using var host = await WebChatHost.StartAsync("--Chat:Profiles=llamacpp", $"--Profiles:llamacpp:Endpoint={Replay.Endpoint(server)}");

        var events = await PostChatAsync(host, new { profile = "llamacpp", messages = new[] { new { role = "user", text = "Say hello." } } });

        Assert.Equal(Replay.LlamaCppStreamText, string.Concat(events.Where(e => e.EventType == "text").Select(e => e.Data)));
        Assert.Equal("usage", events[^1].EventType);
        Assert.StartsWith($"{Replay.LlamaCppStreamTokens} · first token ", events[^1].Data, StringComparison.Ordinal);
        Assert.Equal("Say hello.", server.Requests.Single().BodyJson!["messages"]![0]!["content"]!.GetValue<string>());

        // The app's tracer provider listens to the library's activity source: one chat span, with the GenAI attributes.
        var span = Assert.Single(host.Spans, s => s.Source.Name == OpenModelTelemetry.SourceName);
        Assert.Equal("chat", span.GetTagItem("gen_ai.operation.name"));
        Assert.Equal(8L, Convert.ToInt64(span.GetTagItem("gen_ai.usage.output_tokens"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task PostChat_WithTheDefaultLoggers_StillExportsTheChatSpanUnderTheRequestSpan()
    {
        // A real run keeps its loggers, so ASP.NET Core starts a request activity; unsampled, it made the parent-based sampler drop ours.
        await using var server = await ReplayServer.StartAsync(Replay.Fixture("llama.cpp", "chat-stream-include-usage"));
        await using var host = await WebChatHost.StartAsync(keepLogging: true, "--Chat:Profiles=llamacpp", $"--Profiles:llamacpp:Endpoint={Replay.Endpoint(server)}");

        await PostChatAsync(host, new { profile = "llamacpp", messages = new[] { new { role = "user", text = "Say hello." } } });

        var chat = Assert.Single(host.Spans, s => s.Source.Name == OpenModelTelemetry.SourceName);
        var request = Assert.Single(host.Spans, s => s.Source.Name == "Microsoft.AspNetCore" || s.OperationName == "Microsoft.AspNetCore.Hosting.HttpRequestIn");
        Assert.Equal(request.SpanId, chat.ParentSpanId);
    }

    [Fact]
    public async Task PostChat_NoProfile_FailsOverFromADeadServerToTheNextProfile()
    {
        await using var server = await ReplayServer.StartAsync(Replay.Fixture("llama.cpp", "chat-stream-include-usage"));
        await using var host = await WebChatHost.StartAsync(
            "--Chat:Profiles=down,llamacpp",
            "--Profiles:down:Provider=LlamaCpp",
            $"--Profiles:down:Endpoint=http://127.0.0.1:{Replay.DeadPort()}",
            "--Profiles:down:Retry:MaxAttempts=1",
            $"--Profiles:llamacpp:Endpoint={Replay.Endpoint(server)}");

        var events = await PostChatAsync(host, new { messages = new[] { new { role = "user", text = "Hi" } } });

        Assert.DoesNotContain(events, e => e.EventType == "error");
        Assert.Equal(Replay.LlamaCppStreamText, string.Concat(events.Where(e => e.EventType == "text").Select(e => e.Data)));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task PostChat_NothingAnswers_StreamsOneErrorEvent()
    {
        await using var host = await WebChatHost.StartAsync(
            "--Chat:Profiles=llamacpp", $"--Profiles:llamacpp:Endpoint=http://127.0.0.1:{Replay.DeadPort()}", "--Profiles:llamacpp:Retry:MaxAttempts=1");

        var events = await PostChatAsync(host, new { profile = "llamacpp", messages = new[] { new { role = "user", text = "Hi" } } });

        var error = Assert.Single(events);
        Assert.Equal("error", error.EventType);
        Assert.StartsWith("No model server answered (Connection refused", error.Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostChat_NoProfileAndNoneAnswers_TheErrorNamesEveryEndpointTried()
    {
        // Before, the failover's error named only the last profile; the first one's endpoint and failure were lost.
        int first = Replay.DeadPort(), second = Replay.DeadPort();
        await using var host = await WebChatHost.StartAsync(
            "--Chat:Profiles=one,two",
            "--Profiles:one:Provider=LlamaCpp",
            $"--Profiles:one:Endpoint=http://127.0.0.1:{first}",
            "--Profiles:one:Retry:MaxAttempts=1",
            "--Profiles:two:Provider=LlamaCpp",
            $"--Profiles:two:Endpoint=http://127.0.0.1:{second}",
            "--Profiles:two:Retry:MaxAttempts=1");

        var events = await PostChatAsync(host, new { messages = new[] { new { role = "user", text = "Hi" } } });

        var error = Assert.Single(events);
        Assert.Equal("error", error.EventType);
        Assert.StartsWith("No profile answered. Tried 2: ", error.Data, StringComparison.Ordinal);
        int one = error.Data.IndexOf($"one at http://127.0.0.1:{first}: ", StringComparison.Ordinal);
        int two = error.Data.IndexOf($"two at http://127.0.0.1:{second}: ", StringComparison.Ordinal);
        Assert.True(one > 0 && two > one, error.Data);
        Assert.EndsWith("Start llama-server or Ollama, or point Profiles:<name>:Endpoint at your server.", error.Data, StringComparison.Ordinal);

        // Asking one profile by name still names only that one.
        var named = Assert.Single(await PostChatAsync(host, new { profile = "two", messages = new[] { new { role = "user", text = "Hi" } } }));
        Assert.StartsWith("No model server answered (", named.Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostChat_UnknownProfile_Returns400NamingTheProfiles()
    {
        await using var host = await WebChatHost.StartAsync("--Chat:Profiles=llamacpp", "--Profiles:llamacpp:Endpoint=http://127.0.0.1:9");
        using var http = new HttpClient { BaseAddress = host.Address };

        using var response = await http.PostAsJsonAsync("api/chat", new { profile = "nope", messages = Array.Empty<object>() }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("There is no profile 'nope'. Profiles: llamacpp.", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(["llamacpp"], (await http.GetFromJsonAsync<string[]>("api/profiles", TestContext.Current.CancellationToken))!);
    }

    private static async Task<List<SseItem<string>>> PostChatAsync(WebChatHost host, object body)
    {
        using var http = new HttpClient { BaseAddress = host.Address };
        using var response = await http.PostAsJsonAsync("api/chat", body, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = new List<SseItem<string>>();
        await foreach (var item in SseParser.Create(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken)).EnumerateAsync(TestContext.Current.CancellationToken))
        {
            events.Add(item);
        }

        return events;
    }
}
