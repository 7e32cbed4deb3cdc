using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using OpenModelClient.Tests.Infrastructure;

namespace OpenModelClient.Tests.TestDoubles;

/// <summary>Shared helpers for the hosted-provider and preset replay tests.</summary>
internal static class Hosted
{
    public static readonly AIFunctionDeclaration GetWeather = AIFunctionFactory.CreateDeclaration(
        "get_weather",
        "Get the current weather for a city",
        JsonElement.Parse("""{"type":"object","properties":{"city":{"type":"string"},"unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["city","unit"]}"""));

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A minimal non-streamed OpenAI-shaped answer.</summary>
    public static ReplayResponse Answer(string text = "ok", string model = "m") =>
        ReplayResponse.Json(200, $$$"""{"id":"chatcmpl-x","object":"chat.completion","created":1795000000,"model":"{{{model}}}","choices":[{"index":0,"message":{"role":"assistant","content":"{{{text}}}"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}}""");

    public static ReplayResponse Fixture(string provider, string scenario) => ReplayResponse.FromFixture(provider, scenario);

    public static async Task<List<ChatResponseUpdate>> CollectAsync(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        var list = new List<ChatResponseUpdate>();
        await foreach (var update in updates)
        {
            list.Add(update);
        }

        return list;
    }

    public static async Task<(List<ChatResponseUpdate> Updates, Exception? Error)> CollectCapturingAsync(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        var list = new List<ChatResponseUpdate>();
        try
        {
            await foreach (var update in updates)
            {
                list.Add(update);
            }
        }
        catch (Exception e)
        {
            return (list, e);
        }

        return (list, null);
    }

    /// <summary>The request body without <c>model</c> and <c>messages</c>: the fields a mapping produced.</summary>
    public static JsonObject Extras(RecordedRequest request)
    {
        var body = request.BodyJson!.DeepClone().AsObject();
        body.Remove("model");
        body.Remove("messages");
        return body;
    }

    public static JsonArray Messages(RecordedRequest request) => request.BodyJson!["messages"]!.AsArray();

    public static string ReasoningText(ChatResponse response) =>
        string.Concat(response.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>().Select(r => r.Text));

    public static string ReasoningText(IEnumerable<ChatResponseUpdate> updates) =>
        string.Concat(updates.SelectMany(u => u.Contents).OfType<TextReasoningContent>().Select(r => r.Text));
}
