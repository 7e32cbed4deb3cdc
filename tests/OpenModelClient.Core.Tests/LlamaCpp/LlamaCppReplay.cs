using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Tests.LlamaCpp;

/// <summary>Shared set-up for replaying the recorded llama.cpp transcripts against the real clients.</summary>
internal static class LlamaCppReplay
{
    public const string Provider = "llama.cpp";
    public const string TinyQwen = "/opt/gguf/models/tiny-llama-qwen25-tools.gguf";
    public const string TinyDeepSeek = "/opt/gguf/models/tiny-llama-deepseek-r1.gguf";

    public static readonly AIFunctionDeclaration GetWeather = AIFunctionFactory.CreateDeclaration(
        "get_weather",
        "Get the current weather for a city",
        JsonElement.Parse("""{"type":"object","properties":{"city":{"type":"string","enum":["Paris","Tokyo"]},"unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["city","unit"]}"""));

    public static Task<ReplayServer> ServeAsync(params string[] scenarios) =>
        ReplayServer.StartAsync([.. scenarios.Select(s => ReplayResponse.FromFixture(Provider, s))]);

    /// <summary>A client as the fixtures' requests were made: no <c>stream_options</c> unless the scenario had it.</summary>
    public static LlamaCppChatClient Client(ReplayServer server, bool includeUsage = true, string? apiKey = null) =>
        new(server.BaseAddress, modelId: null, httpClient: null, new LlamaCppClientOptions { IncludeUsageInStream = includeUsage, ApiKey = apiKey });

    public static JsonNode FixtureRequest(string scenario) =>
        JsonNode.Parse(HttpTranscript.Load(Provider, scenario).RequestJson!)!;

    /// <summary>Asserts the request the client sent equals the one recorded from curl, as JSON.</summary>
    public static void AssertSentFixtureRequest(ReplayServer server, string scenario)
    {
        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal(HttpTranscript.Load(Provider, scenario).RequestPath, request.PathAndQuery);
        JsonAssert.Equal(FixtureRequest(scenario), request.BodyJson!);
    }

    public static async Task<List<ChatResponseUpdate>> CollectAsync(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        var list = new List<ChatResponseUpdate>();
        await foreach (var update in updates)
        {
            list.Add(update);
        }

        return list;
    }

    public static void AssertUsage(UsageDetails? usage, long input, long output, long total, long? cached)
    {
        Assert.NotNull(usage);
        Assert.Equal(input, usage.InputTokenCount);
        Assert.Equal(output, usage.OutputTokenCount);
        Assert.Equal(total, usage.TotalTokenCount);
        Assert.Equal(cached, usage.CachedInputTokenCount);
    }
}
